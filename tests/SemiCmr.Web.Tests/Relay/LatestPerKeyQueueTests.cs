using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Tests.Relay;

public sealed class LatestPerKeyQueueTests
{
    private static ProgressUpdate Epoch(int runId, int epoch, bool isFinal = false) =>
        new(Run: new RunProgressEvent(runId, isFinal ? "succeeded" : "running", "commonSpace", epoch, 100, epoch / 100.0,
            new Dictionary<string, double>(), IsFinal: isFinal));

    private static List<(int RunId, int Epoch, bool IsFinal)> Drain(LatestPerKeyQueue queue)
    {
        queue.Complete();
        var taken = new List<(int, int, bool)>();
        while (queue.ReadAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult() is { Run: { } run })
            taken.Add((run.RunId, run.Epoch, run.IsFinal));
        return taken;
    }

    [Fact]
    public void AWaitingUpdateIsReplacedByTheNewerOneOfItsKeyAndKeysKeepTheirOrder()
    {
        var queue = new LatestPerKeyQueue();
        for (int epoch = 1; epoch <= 1000; epoch++)
        {
            queue.TryWrite(Epoch(1, epoch));
            queue.TryWrite(Epoch(2, epoch));
        }

        Assert.Equal(2, queue.Count);
        Assert.Equal([(1, 1000, false), (2, 1000, false)], Drain(queue));
    }

    [Fact]
    public void AFinalUpdateIsNeitherReplacedNorOvertaken()
    {
        var queue = new LatestPerKeyQueue();
        queue.TryWrite(Epoch(1, 1));
        queue.TryWrite(Epoch(1, 2, isFinal: true));
        queue.TryWrite(Epoch(1, 3));
        queue.TryWrite(Epoch(1, 4));

        Assert.Equal([(1, 2, true), (1, 4, false)], Drain(queue));
    }

    [Fact]
    public void BeyondMaxKeysNewKeysAreDroppedAndCounted()
    {
        var queue = new LatestPerKeyQueue(maxKeys: 2);
        Assert.True(queue.TryWrite(Epoch(1, 1)));
        Assert.True(queue.TryWrite(Epoch(2, 1)));
        Assert.False(queue.TryWrite(Epoch(3, 1)));
        Assert.True(queue.TryWrite(Epoch(1, 2))); // a waiting key still takes its newer update

        Assert.Equal(1, queue.Dropped);
        Assert.Equal([(1, 2, false), (2, 1, false)], Drain(queue));
    }

    [Fact]
    public async Task AReaderWaitsForTheNextUpdateAndEndsWhenCompleted()
    {
        var queue = new LatestPerKeyQueue();
        var read = queue.ReadAsync(TestContext.Current.CancellationToken);
        Assert.False(read.IsCompleted);

        queue.TryWrite(Epoch(7, 1));
        Assert.Equal(7, (await read)!.Run!.RunId);
        queue.Complete();
        Assert.Null(await queue.ReadAsync(TestContext.Current.CancellationToken));
        Assert.False(queue.TryWrite(Epoch(7, 2)));
    }
}
