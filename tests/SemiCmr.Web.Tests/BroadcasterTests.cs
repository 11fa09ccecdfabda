using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Tests;

public sealed class BroadcasterTests
{
    private readonly ManualTimeProvider time = new();
    private readonly List<RunProgressEvent> sent = [];

    private RunProgressBroadcaster Broadcaster()
    {
        var broadcaster = new RunProgressBroadcaster(time);
        broadcaster.SubscribeRuns(sent.Add); // for the broadcaster's lifetime
        return broadcaster;
    }

    private static RunProgressEvent Epoch(int runId, int epoch) =>
        new(runId, "running", "commonSpace", epoch, 100, epoch / 100.0, new Dictionary<string, double> { ["total"] = 1.0 / epoch });

    [Fact]
    public void BurstOfEpochsSendsTheFirstAndThenTheLatestOncePerInterval()
    {
        var broadcaster = Broadcaster();
        for (int epoch = 1; epoch <= 20; epoch++) broadcaster.Publish(Epoch(1, epoch));
        Assert.Equal([1], sent.Select(e => e.Epoch));

        time.Advance(RunProgressBroadcaster.Interval);
        Assert.Equal([1, 20], sent.Select(e => e.Epoch));
        Assert.Equal(20, broadcaster.Current(1)!.Epoch);
    }

    [Fact]
    public void FinalEventIsSentAtOnceAndReplacesAPendingOne()
    {
        var broadcaster = Broadcaster();
        broadcaster.Publish(Epoch(1, 1));
        broadcaster.Publish(Epoch(1, 2));
        broadcaster.Publish(Epoch(1, 3) with { Status = "succeeded", IsFinal = true });
        time.Advance(RunProgressBroadcaster.Interval * 3);

        Assert.Equal([(1, false), (3, true)], sent.Select(e => (e.Epoch, e.IsFinal)));
        Assert.Null(broadcaster.Current(1));
    }

    [Fact]
    public void RunsAreThrottledIndependently()
    {
        var broadcaster = Broadcaster();
        broadcaster.Publish(Epoch(1, 1));
        broadcaster.Publish(Epoch(2, 1));
        broadcaster.Publish(Epoch(1, 2));

        Assert.Equal([(1, 1), (2, 1)], sent.Select(e => (e.RunId, e.Epoch)));
    }
}
