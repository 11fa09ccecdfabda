using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

[CollectionDefinition(Name)]
public sealed class FlickrCollection : ICollectionFixture<FlickrAppFixture>
{
    public const string Name = "flickr app";
}

/// <summary>
/// One app for the raw-data tests: flickr8k-1000 imported once (about a minute of ResNet-18 and MiniLM),
/// with the import's SignalR progress recorded, and an sscmr and a cca run at ratio 0.3 trained on first use.
/// </summary>
public sealed class FlickrAppFixture : IAsyncLifetime
{
    private Task<(RunResponse Sscmr, RunResponse Cca)>? runs;

    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders();
    public int DatasetId { get; private set; }
    public DatasetResponse Dataset { get; private set; } = null!;
    public List<ImportProgressEvent> ImportEvents { get; } = [];

    public static string Flickr => TestPaths.SharedData("flickr8k-1000");

    public async ValueTask InitializeAsync()
    {
        await using var hub = App.CreateHubConnection();
        var final = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<ImportProgressEvent>(RunsHub.ImportProgressMethod, e =>
        {
            lock (ImportEvents) ImportEvents.Add(e);
            if (e.IsFinal) final.TrySetResult();
        });
        await hub.StartAsync();

        var response = await App.CreateClient().PostAsJsonAsync("/api/datasets/from-folder", new { name = "flickr", path = Flickr, textEncoder = "minilm" });
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
