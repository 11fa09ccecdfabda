using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

[Collection(FeatureCollection.Name)]
public sealed class TrainingTests(FeatureAppFixture fixture)
{
    private SemiCmrApp App => fixture.App;

    [Fact]
    public async Task SignalRWatcherReceivesProgressAndAFinalEventWithBothMaps()
    {
        var events = Channel.CreateUnbounded<RunProgressEvent>();
        await using var hub = App.CreateHubConnection();
        hub.On<RunProgressEvent>(RunsHub.ProgressMethod, e => events.Writer.TryWrite(e));
        await hub.StartAsync(TestContext.Current.CancellationToken);

        var run = await App.StartRun(new { datasetId = fixture.DatasetId, method = "sscmr", labelRatio = 0.1, seed = 3, options = new { stage1Epochs = 3, stage2Epochs = 3 } });
        await hub.InvokeAsync("Watch", run.Id, TestContext.Current.CancellationToken);

        var received = new List<RunProgressEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await foreach (var e in events.Reader.ReadAllAsync(timeout.Token))
        {
            received.Add(e);
            if (e.IsFinal) break;
        }

        Assert.All(received, e => Assert.Equal(run.Id, e.RunId));
        Assert.Contains(received, e => e is { Status: "running", Stage: "labelPrediction" or "commonSpace" } && e.Loss.ContainsKey("total"));
        var final = received[^1];
        Assert.Equal("succeeded", final.Status);
        Assert.Equal("evaluation", final.Stage);
        Assert.True(final.Epochs > 0 && final.Epoch == final.Epochs, $"final event at epoch {final.Epoch} of {final.Epochs}");
        Assert.NotNull(final.Metrics);
        Assert.InRange(final.Metrics.MapI2T, 0.01, 1);

        var stored = await App.WaitForRun(run.Id, r => r.Status == RunStatus.Succeeded, seconds: 5);
        Assert.InRange(stored.Metrics!.MapI2T, 0.01, 1);
        Assert.InRange(stored.Metrics.MapT2I, 0.01, 1);
        Assert.NotNull(stored.Metrics.Stage1Accuracy);
        var epochs = await App.CreateClient().GetFromJsonAsync<List<EpochResponse>>($"/api/runs/{run.Id}/epochs", Json.Options, TestContext.Current.CancellationToken);
        Assert.Equal(6, epochs!.Count);
        Assert.All(epochs, e => Assert.True(e.Losses.ContainsKey("total")));
    }

    [Fact]
    public async Task WatcherArrivingAfterTheEndGetsTheFinalState()
    {
        var run = await fixture.SucceededRun();
        var events = Channel.CreateUnbounded<RunProgressEvent>();
        await using var hub = App.CreateHubConnection();
        hub.On<RunProgressEvent>(RunsHub.ProgressMethod, e => events.Writer.TryWrite(e));
        await hub.StartAsync(TestContext.Current.CancellationToken);
        await hub.InvokeAsync("Watch", run.Id, TestContext.Current.CancellationToken);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await events.Reader.ReadAsync(timeout.Token);
        Assert.True(first.IsFinal);
        Assert.Equal("succeeded", first.Status);
        Assert.Equal(run.Metrics!.MapI2T, first.Metrics!.MapI2T);
    }

    [Fact]
    public async Task CancelStopsAQueuedRunAtOnceAndARunningOneWithinAnEpoch()
    {
        var client = App.CreateClient();
        // The most epochs the default Training:MaxEpochs allows: far longer than the test waits.
        var longOptions = new { stage1Epochs = 1000, stage2Epochs = 1000 };
        var running = await App.StartRun(new { datasetId = fixture.DatasetId, method = "sscmr", labelRatio = 0.1, options = longOptions });
        var queued = await App.StartRun(new { datasetId = fixture.DatasetId, method = "sscmr", labelRatio = 0.1, options = longOptions });
        await App.WaitForRun(running.Id, r => r is { Status: RunStatus.Running, Epoch: > 0 });

        var cancelQueued = await client.PostAsync($"/api/runs/{queued.Id}/cancel", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, cancelQueued.StatusCode);
        var afterQueuedCancel = await client.GetFromJsonAsync<RunResponse>($"/api/runs/{queued.Id}", Json.Options, TestContext.Current.CancellationToken);
        Assert.Equal(RunStatus.Cancelled, afterQueuedCancel!.Status);

        var cancelRunning = await client.PostAsync($"/api/runs/{running.Id}/cancel", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, cancelRunning.StatusCode);
        var cancelled = await App.WaitForRun(running.Id, r => r.Status != RunStatus.Running, seconds: 30);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.False(Directory.Exists(Path.Combine(App.DataDirectory, "runs", running.Id.ToString())));

        var again = await client.PostAsync($"/api/runs/{running.Id}/cancel", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
