using System.Collections.Concurrent;
using System.Threading.Channels;

namespace SemiCmr.Web.Runs;

/// <summary>Run ids waiting for the training worker, in submission order.</summary>
public sealed class RunQueue
{
    public const int Capacity = 10_000;

    private readonly Channel<int> channel = Channel.CreateBounded<int>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<int> Reader => channel.Reader;

    /// <summary>False when the queue is full: RunCreator then deletes the run row it just saved and answers 503.</summary>
    public bool TryEnqueue(int runId) => channel.Writer.TryWrite(runId);
}

/// <summary>Cancellation handles of the run being trained, so POST /api/runs/{id}/cancel can reach it.</summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<int, CancellationTokenSource> running = new();

    public void Register(int runId, CancellationTokenSource source) => running[runId] = source;

    public void Unregister(int runId) => running.TryRemove(runId, out _);

    public bool Cancel(int runId)
    {
        if (!running.TryGetValue(runId, out var source)) return false;
        try { source.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }
}
