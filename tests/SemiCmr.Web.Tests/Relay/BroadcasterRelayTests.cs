using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Tests.Relay;

/// <summary>The broadcaster's two doors for the relay: what leaves for other instances, and what arrives from them.</summary>
public sealed class BroadcasterRelayTests
{
    private readonly ManualTimeProvider time = new();

    private static RunProgressEvent Epoch(int runId, int epoch) =>
        new(runId, "running", "commonSpace", epoch, 100, epoch / 100.0, new Dictionary<string, double> { ["total"] = 1.0 / epoch });

    [Fact]
    public void WhatIsPublishedHereLeavesAfterTheThrottle()
    {
        var broadcaster = new RunProgressBroadcaster(time);
        var leaving = new List<ProgressUpdate>();
        using var _ = broadcaster.SubscribePublishedHere(leaving.Add);

        for (int epoch = 1; epoch <= 20; epoch++) broadcaster.Publish(Epoch(1, epoch));
        broadcaster.PublishImport(new ImportProgressEvent(2, "importing", "reading", 1, 10, 5, 2));
        time.Advance(RunProgressBroadcaster.Interval);
        broadcaster.PublishIndexBuild(new IndexBuildEvent(3, 1, IsFinal: true));

        Assert.Equal([1, 20], leaving.Where(u => u.Run is not null).Select(u => u.Run!.Epoch));
        Assert.Equal(2, Assert.Single(leaving, u => u.Import is not null).Import!.DatasetId);
        Assert.Equal(3, leaving.Count); // the index build stays here: it is this instance's index
    }

    [Fact]
    public void WhatArrivesFromElsewhereReachesSubscribersAndCurrentButDoesNotLeaveAgain()
    {
        var broadcaster = new RunProgressBroadcaster(time);
        var runs = new List<RunProgressEvent>();
        var imports = new List<ImportProgressEvent>();
        var leaving = new List<ProgressUpdate>();
        using var a = broadcaster.SubscribeRuns(runs.Add);
        using var b = broadcaster.SubscribeImports(imports.Add);
        using var d = broadcaster.SubscribePublishedHere(leaving.Add);

        // Already throttled where they were published: every one is delivered.
        broadcaster.DeliverFromElsewhere(new ProgressUpdate(Run: Epoch(5, 1)));
        broadcaster.DeliverFromElsewhere(new ProgressUpdate(Run: Epoch(5, 2)));
        broadcaster.DeliverFromElsewhere(new ProgressUpdate(Import: new ImportProgressEvent(6, "importing", "texts", 3, 9, 1, 6)));

        Assert.Equal([1, 2], runs.Select(e => e.Epoch));
        Assert.Equal(2, broadcaster.Current(5)!.Epoch);
        Assert.Equal("texts", broadcaster.CurrentImport(6)!.Phase);
        Assert.Empty(leaving);

        broadcaster.DeliverFromElsewhere(new ProgressUpdate(Run: Epoch(5, 3) with { Status = "succeeded", IsFinal = true }));
        broadcaster.DeliverFromElsewhere(new ProgressUpdate(Import: new ImportProgressEvent(6, "ready", "done", 9, 9, 1, 0, IsFinal: true)));
        Assert.True(runs[^1].IsFinal);
        Assert.True(imports[^1].IsFinal);
        Assert.Null(broadcaster.Current(5));
        Assert.Null(broadcaster.CurrentImport(6));
    }

    [Fact]
    public void AnInstanceThatFellSilentNoLongerAnswersCurrent()
    {
        var broadcaster = new RunProgressBroadcaster(time);
        broadcaster.DeliverFromElsewhere(new ProgressUpdate(Run: Epoch(8, 4)));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(4, broadcaster.Current(8)!.Epoch);

        // Its worker died without a final event: watchers read the stored row instead of a frozen "running".
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(broadcaster.Current(8));
    }
}
