using System.Diagnostics.CodeAnalysis;

namespace SemiCmr.Web.Progress;

/// <summary>
/// A queue of progress updates that is bounded by the number of runs and imports in flight, not by how fast
/// they publish: while an update of a key waits, a newer one of the same key replaces it (progress only ever needs the
/// latest), except that a waiting final update is never replaced: the newer one waits behind it. So each key holds at
/// most two updates, each key's updates leave in the order they came, and a final one is never overtaken by an older
/// one. Keys leave in the order they first arrived. Above <see cref="MaxKeys"/> waiting keys a new key's update is
/// dropped (<see cref="Dropped"/> counts them): only a reader stuck for a long time gets there.
/// One reader; any number of writers.
/// </summary>
public sealed class LatestPerKeyQueue(int maxKeys = LatestPerKeyQueue.DefaultMaxKeys)
{
    public const int DefaultMaxKeys = 4096;

    private readonly object gate = new();
    private readonly Queue<(ProgressStream, int)> order = new();
    private readonly Dictionary<(ProgressStream, int), Slots> waiting = [];
    private readonly SemaphoreSlim available = new(0);
    private bool completed;
    private long dropped;

    public int MaxKeys { get; } = maxKeys;

    /// <summary>Updates refused because <see cref="MaxKeys"/> keys were waiting.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Updates waiting now (at most two a key).</summary>
    public int Count
    {
        get
        {
            lock (gate) return waiting.Values.Sum(slots => slots.Last is null ? 1 : 2);
        }
    }

    /// <summary>Adds an update; false when it was dropped (too many keys waiting, or the queue is completed). Never blocks.</summary>
    public bool TryWrite(ProgressUpdate update)
    {
        var key = update.Key;
        lock (gate)
        {
            if (completed) return false;
            if (waiting.TryGetValue(key, out var slots))
            {
                if (slots.First.IsFinal) slots.Last = update;
                else slots.First = update;
                return true;
            }
            if (waiting.Count >= MaxKeys)
            {
                Interlocked.Increment(ref dropped);
                return false;
            }
            waiting[key] = new Slots { First = update };
            order.Enqueue(key);
        }
        available.Release();
        return true;
    }

    /// <summary>No more writes; the reader still gets what is waiting, then <see cref="ReadAsync"/> answers null.</summary>
    public void Complete()
    {
        lock (gate)
        {
            if (completed) return;
            completed = true;
        }
        available.Release();
    }

    /// <summary>The next update in order, waiting for one; null once completed and empty.</summary>
    public async Task<ProgressUpdate?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await available.WaitAsync(cancellationToken);
            lock (gate)
            {
                if (TryTake(out var update)) return update;
                if (completed)
                {
                    available.Release(); // later readers see the end too
                    return null;
                }
            }
        }
    }

    private bool TryTake([NotNullWhen(true)] out ProgressUpdate? update)
    {
        update = null;
        if (!order.TryPeek(out var key)) return false;
        var slots = waiting[key];
        update = slots.First;
        if (slots.Last is { } next)
        {
            // The key keeps its place: its next update is still the oldest thing waiting for it.
            slots.First = next;
            slots.Last = null;
            available.Release();
        }
        else
        {
            order.Dequeue();
            waiting.Remove(key);
        }
        return true;
    }

    private sealed class Slots
    {
        public required ProgressUpdate First;
        public ProgressUpdate? Last;
    }
}
