using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests;

/// <summary>
/// Runs above Search:ApproximateAbove items are searched through an HNSW index: built after the run and saved in its folder
/// in-process, built in PostgreSQL before the run succeeds on PostgreSQL.
/// </summary>
public sealed class ApproximateSearchTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        app.TestServices = services => services.Configure<SearchOptions>(o => o.ApproximateAbove = 10);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task ALargeRunIsSearchedApproximatelyOnceItsIndexIsBuiltWithTheSameLabelRules()
    {
        var builds = new System.Collections.Concurrent.ConcurrentQueue<IndexBuildEvent>();
        using var subscription = app.Services.GetRequiredService<RunProgressBroadcaster>().SubscribeIndexBuilds(builds.Enqueue);
        var (datasetId, features, run) = await app.ImportAndTrainShortRun();
        Assert.Equal(Data.RunStatus.Succeeded, run.Status);

        var status = await IndexStatus(run.Id);
        // The final event is published just after the status turns approximate: wait for both.
        bool Done() => status.Kind == "approximate" && builds.Any(b => b.RunId == run.Id && b.IsFinal);
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !Done() && DateTime.UtcNow < deadline; await Task.Delay(100, Cancel))
            status = await IndexStatus(run.Id);

        Assert.Equal(new SearchIndexStatus("approximate", features.Items.Count, false, 1, null), status);
        var published = builds.Where(b => b.RunId == run.Id).ToList();
        Assert.Equal(new IndexBuildEvent(run.Id, 1, IsFinal: true), published[^1]);
        Assert.Equal(published.Select(b => b.Progress).Order(), published.Select(b => b.Progress));
        // In-process the graphs are saved in the run folder; on PostgreSQL they are pgvector indexes (the status read them).
        Assert.Equal(!TestDatabase.IsPostgres, File.Exists(Path.Combine(app.DataDirectory, "runs", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ApproximateIndexes.ImagesFile)));
        string label = features.ClassNames[0];
        var all = await Search(run.Id, new { itemId = features.Items[0].Id, target = "text", k = 5 });
        var labelled = await Search(run.Id, new { itemId = features.Items[0].Id, target = "text", k = 5, labels = new[] { label } });
        Assert.Equal(5, all.Hits.Count);
        Assert.Equal(features.Items.Count, all.Total);
        Assert.Equal(all.Hits.OrderByDescending(h => h.Score).Select(h => h.Row), all.Hits.Select(h => h.Row));
        Assert.Equal(features.Items.Count(i => i.Labels.Contains(0)), labelled.Total);
        Assert.All(labelled.Hits, h => Assert.Contains(label, h.Labels));
    }

    private async Task<SearchIndexStatus> IndexStatus(int runId) =>
        (await app.CreateClient().GetFromJsonAsync<SearchIndexStatus>($"/api/runs/{runId}/search/index", Json.Options, Cancel))!;

    private async Task<SearchResponse> Search(int runId, object request)
    {
        var response = await app.CreateClient().PostAsJsonAsync($"/api/runs/{runId}/search", request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, Cancel))!;
    }
}
