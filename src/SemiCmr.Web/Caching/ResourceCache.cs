using Microsoft.Extensions.Options;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Caching;

/// <summary>
/// The one in-memory cache of what is expensive to load and worth keeping between requests: runs' search indexes,
/// trained models, datasets' query encoders, run reports. Entries are keyed by their type and a run or dataset id and
/// weighed in bytes; past <see cref="CacheOptions.MaxBytes"/> the least recently used are dropped. A user holds a
/// <see cref="CacheLease{T}"/>, and a dropped value that is <see cref="IDisposable"/> is disposed only when its last
/// lease is released, so eviction never pulls a model or an index from under a running query. Concurrent requests
/// for one key share one load (run on the thread pool, never on the caller's thread); a failed load is not cached,
/// so the next request tries again. <see cref="Invalidate"/> drops every entry made from a changed run, dataset or
/// set of labels, and every entry still loading (its tags are not known yet, and it may have read what changed).
/// </summary>
/// <remarks>
/// BitFaster.Caching was considered: its caches bound the number of entries, not their weight, so an index of a
/// million items would count as much as a report. One lock guards the bookkeeping; loads and disposals run outside it.
/// </remarks>
public sealed class ResourceCache(IOptions<CacheOptions> options, ILogger<ResourceCache> logger) : IDisposable
{
    private readonly long maxBytes = options.Value.MaxBytes;
    private readonly Lock gate = new();
    private readonly Dictionary<(Type, int), Entry> entries = [];
    /// <summary>Loaded entries, most recently used first.</summary>
    private readonly LinkedList<Entry> recent = new();
    private long bytes;
    private bool disposed;

    /// <summary>Bytes held by the entries kept (loaded, not dropped).</summary>
    public long Bytes
    {
        get
        {
            lock (gate) return bytes;
        }
    }

    /// <summary>Whether a loaded <typeparamref name="T"/> for <paramref name="id"/> is kept (for tests and diagnostics).</summary>
    public bool Holds<T>(int id)
    {
        lock (gate) return entries.TryGetValue((typeof(T), id), out var entry) && entry.Node is not null;
    }

    /// <summary>
    /// A lease on the <typeparamref name="T"/> of <paramref name="id"/>, loaded by <paramref name="load"/> unless it is
    /// kept or already loading. Cancelling stops this caller's wait, not a load others may share. A load's exception
    /// reaches every caller waiting for it.
    /// </summary>
    public async Task<CacheLease<T>> Lease<T>(int id, Func<Task<Cached<T>>> load, CancellationToken cancellationToken = default) where T : class
    {
        var key = (typeof(T), id);
        Entry entry;
        bool starts = false;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!entries.TryGetValue(key, out entry!))
            {
                entry = new Entry(key);
                entries[key] = entry;
                starts = true;
            }
            else if (entry.Node is { } node)
            {
                recent.Remove(node);
                recent.AddFirst(node);
            }
            // Taken before the value is there, so it cannot be disposed between the load and this caller's use.
            entry.Leases++;
        }
        if (starts) _ = Task.Run(() => Load(entry, load), CancellationToken.None);

        object value;
        try
        {
            value = await entry.Loaded.Task.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(entry);
            throw;
        }
        return new CacheLease<T>((T)value, () => Release(entry));
    }

    /// <summary>Drops every entry tagged <paramref name="tag"/> and every entry still loading; leased ones are disposed when released.</summary>
    public void Invalidate(CacheTag tag)
    {
        List<Entry> unused = [];
        lock (gate)
        {
            foreach (var entry in entries.Values.Where(e => !e.IsLoaded || e.Tags.Contains(tag)).ToList())
            {
                Drop(entry);
                if (TakeForDisposal(entry)) unused.Add(entry);
            }
        }
        DisposeValues(unused);
    }

    /// <summary>Drops everything (at shutdown); values still leased are disposed when released.</summary>
    public void Dispose()
    {
        List<Entry> unused = [];
        lock (gate)
        {
            disposed = true;
            foreach (var entry in entries.Values.ToList())
            {
                Drop(entry);
                if (TakeForDisposal(entry)) unused.Add(entry);
            }
        }
        DisposeValues(unused);
    }

    private async Task Load<T>(Entry entry, Func<Task<Cached<T>>> load) where T : class
    {
        Cached<T> cached;
        try
        {
            cached = await load() ?? throw new InvalidOperationException($"The loader of {entry.Key.Item1.Name} {entry.Key.Item2} returned nothing.");
        }
        catch (Exception e)
        {
            lock (gate) Drop(entry);
            entry.Loaded.SetException(e);
            return;
        }

        List<Entry> unused = [];
        bool tooLarge = false;
        lock (gate)
        {
            entry.Value = cached.Value;
            entry.Bytes = cached.Bytes;
            entry.Tags = cached.Tags;
            entry.IsLoaded = true;
            // One value above the bound is served to its waiters but not kept: keeping it would empty the cache for nothing.
            tooLarge = !entry.Dropped && entry.Bytes > maxBytes;
            if (tooLarge) Drop(entry);
            if (!entry.Dropped)
            {
                entry.Node = recent.AddFirst(entry);
                bytes += entry.Bytes;
                while (bytes > maxBytes && recent.Last is { } last)
                {
                    Drop(last.Value);
                    if (TakeForDisposal(last.Value)) unused.Add(last.Value);
                }
            }
            else if (TakeForDisposal(entry))
            {
                unused.Add(entry); // invalidated while loading, and every waiter gave up
            }
        }
        if (tooLarge)
            logger.LogWarning("{Type} {Id} takes {Bytes} bytes, more than Cache:MaxBytes ({MaxBytes}): it is loaded again for each use",
                entry.Key.Item1.Name, entry.Key.Item2, entry.Bytes, maxBytes);
        // What this load pushed out is disposed before anyone sees the value: a caller that finds its lease can rely on
        // the cache having let go of what the bound required (the waiter's continuation may run inside SetResult).
        DisposeValues(unused);
        entry.Loaded.SetResult(cached.Value);
    }

    private void Release(Entry entry)
    {
        bool dispose;
        lock (gate)
        {
            entry.Leases--;
            dispose = TakeForDisposal(entry);
        }
        if (dispose) DisposeValues([entry]);
    }

    /// <summary>Takes the entry out of the map and the recency list (under the lock); its value lives on while leased.</summary>
    private void Drop(Entry entry)
    {
        if (entries.TryGetValue(entry.Key, out var current) && current == entry) entries.Remove(entry.Key);
        if (entry.Node is { } node)
        {
            recent.Remove(node);
            bytes -= entry.Bytes;
            entry.Node = null;
        }
        entry.Dropped = true;
    }

    /// <summary>True once, for a dropped, loaded entry that no lease holds (under the lock).</summary>
    private static bool TakeForDisposal(Entry entry)
    {
        if (!entry.Dropped || !entry.IsLoaded || entry.Leases > 0 || entry.Disposed) return false;
        entry.Disposed = true;
        return true;
    }

    private void DisposeValues(List<Entry> unused)
    {
        foreach (var entry in unused)
        {
            try
            {
                (entry.Value as IDisposable)?.Dispose();
            }
            catch (Exception e)
            {
                // Whatever it held is lost either way; the cache and its other entries stay usable.
                logger.LogWarning(e, "Disposing the cached {Type} {Id} failed", entry.Key.Item1.Name, entry.Key.Item2);
            }
        }
    }

    /// <summary>One key's value, loading or loaded. Fields other than Loaded are guarded by the cache's lock.</summary>
    private sealed class Entry((Type, int) key)
    {
        public (Type, int) Key { get; } = key;
        public TaskCompletionSource<object> Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public object? Value;
        public long Bytes;
        public IReadOnlyList<CacheTag> Tags = [];
        public bool IsLoaded;
        public int Leases;
        /// <summary>No longer found by key (evicted, invalidated, failed): disposed once no lease holds it.</summary>
        public bool Dropped;
        public bool Disposed;
        /// <summary>Its place in the recency list while it is kept.</summary>
        public LinkedListNode<Entry>? Node;
    }
}
