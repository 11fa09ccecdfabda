using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>What a raw dataset must import as and what its search must find.</summary>
/// <param name="TextQuery">A free-text query whose top 10 images should mostly carry <paramref name="QueryLabel"/>.</param>
public sealed record RawExpectations(
    int Items, int Skipped, SplitCounts Splits, int Classes, int Unlabeled, string ImageMediaType, string TextQuery, string QueryLabel);

/// <summary>
/// One app for the raw-data tests: a raw folder imported once through the API with MiniLM and ResNet-18 (its
/// SignalR progress recorded), and an sscmr and a cca run at label ratio 0.3 trained on first use.
/// </summary>
public abstract class RawAppFixture : IAsyncLifetime
{
    private Task<(RunResponse Sscmr, RunResponse Cca)>? runs;

    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders();
    public int DatasetId { get; private set; }
    public DatasetResponse Dataset { get; private set; } = null!;
    public List<ImportProgressEvent> ImportEvents { get; } = [];
    public abstract RawExpectations Expected { get; }

    /// <summary>The raw folder to import; null when it is not available here (then <see cref="RequireSource"/> skips).</summary>
    protected abstract string? PrepareSource();

    /// <summary>Called first by every test: skips (or fails under CI) when the source is absent.</summary>
    public abstract void RequireSource();

    /// <summary>The original image file of an imported item, as a user would upload it.</summary>
    public abstract string ImageFileOf(ItemSummary item);

    public async ValueTask InitializeAsync()
    {
        if (PrepareSource() is not { } source) return;
        await using var hub = App.CreateHubConnection();
        var final = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<ImportProgressEvent>(RunsHub.ImportProgressMethod, e =>
        {
            lock (ImportEvents) ImportEvents.Add(e);
            if (e.IsFinal) final.TrySetResult();
        });
        await hub.StartAsync();

        var response = await App.CreateClient().PostAsJsonAsync("/api/datasets/from-folder", new { name = "raw", path = source, textEncoder = "minilm" });
        DatasetId = (await response.Content.ReadFromJsonAsync<CreatedResponse>())!.Id;
        await hub.InvokeAsync("WatchDataset", DatasetId);
        Dataset = await WaitForDataset(App, DatasetId, seconds: 400);
        await final.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>sscmr and cca at label ratio 0.3 (trained on first call, then shared).</summary>
    public Task<(RunResponse Sscmr, RunResponse Cca)> Runs() => runs ??= Train();

    private async Task<(RunResponse, RunResponse)> Train()
    {
        var sscmr = await App.StartRun(new { datasetId = DatasetId, method = "sscmr", labelRatio = 0.3, seed = 1 });
        var cca = await App.StartRun(new { datasetId = DatasetId, method = "cca", labelRatio = 0.3, seed = 1 });
        static bool Done(RunResponse r) => r.Status is not (RunStatus.Queued or RunStatus.Running);
        return (await App.WaitForRun(sscmr.Id, Done, seconds: 400), await App.WaitForRun(cca.Id, Done, seconds: 120));
    }

    public static async Task<DatasetResponse> WaitForDataset(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, int id, int seconds)
    {
        var client = app.CreateClient();
        for (var deadline = DateTime.UtcNow.AddSeconds(seconds); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            var dataset = await client.GetFromJsonAsync<DatasetResponse>($"/api/datasets/{id}", Json.Options);
            if (dataset!.Status != DatasetStatus.Importing) return dataset;
        }
        throw new TimeoutException($"Dataset {id} is still importing after {seconds} s.");
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
