namespace SemiCmr.Web.Search;

/// <summary>
/// The most recently used few disposable values by key, each used by one caller at a time (TorchSharp modules
/// and the query encoders are not safe to call concurrently). A value is loaded on first use, under its own
/// lock, and disposed when evicted, once its current user is done.
/// </summary>
public sealed class ExclusiveCache<T>(int capacity) : IDisposable where T : class, IDisposable
{
    private readonly Lock gate = new();
    private readonly LinkedList<Entry> recent = new();

    public TResult Use<TResult>(int key, Func<T> load, Func<T, TResult> use)
    {
        Entry entry;
        List<Entry> evicted = [];
        lock (gate)
        {
            var node = recent.First;
            while (node is not null && node.Value.Key != key) node = node.Next;
            if (node is null) node = new LinkedListNode<Entry>(new Entry(key));
            else recent.Remove(node);
            recent.AddFirst(node);
            while (recent.Count > capacity)
            {
                evicted.Add(recent.Last!.Value);
                recent.RemoveLast();
            }
            entry = node.Value;
        }
        foreach (var old in evicted) old.Dispose();

        lock (entry)
        {
            if (entry.Disposed)
            {
                // Evicted between lookup and use: serve this one call from a private copy.
                using var once = load();
                return use(once);
            }
            entry.Value ??= load();
            return use(entry.Value);
        }
    }

    public void Evict(IEnumerable<int> keys)
    {
        var ids = keys.ToHashSet();
        List<Entry> evicted = [];
        lock (gate)
        {
            for (var node = recent.First; node is not null;)
            {
                var next = node.Next;
                if (ids.Contains(node.Value.Key))
                {
                    evicted.Add(node.Value);
                    recent.Remove(node);
                }
                node = next;
            }
        }
        foreach (var old in evicted) old.Dispose();
    }

    public void Dispose()
    {
        List<Entry> all;
        lock (gate)
        {
            all = [.. recent];
            recent.Clear();
        }
        foreach (var entry in all) entry.Dispose();
    }

    private sealed class Entry(int key)
    {
        public int Key { get; } = key;
        public T? Value;
        public bool Disposed;

        public void Dispose()
        {
            lock (this)
            {
                Value?.Dispose();
                Value = null;
                Disposed = true;
            }
        }
    }
}
