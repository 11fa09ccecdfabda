using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Features;
using SemiCmr.Web.Caching;
using SemiCmr.Web.RunReports;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests.Caching;

/// <summary>
/// What the cache keeps follows the changes it was made from, without a restart: an annotation reaches the next search
/// and the next report; deleting a run or a dataset drops what was loaded from its files.
/// </summary>
public sealed class CacheInvalidationTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private ResourceCache Cache => app.Services.GetRequiredService<ResourceCache>();

    /// <summary>Whether the run's search index is cached: the in-process one, or on PostgreSQL what queries pgvector.</summary>
    private bool HoldsIndex(int runId) => TestDatabase.IsPostgres ? Cache.Holds<PgvectorRunIndex>(runId) : Cache.Holds<SearchIndex>(runId);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AnAnnotationShowsInTheNextSearchHitAndTheNextRunReport()
    {
        var (datasetId, features, run) = await app.ImportAndTrainShortRun();
        var query = new { itemId = features.Items[0].Id, target = "text", k = 1 };
        var hit = (await Search(run.Id, query)).Hits[0];
        string oldLabel = hit.Labels[0], newLabel = features.ClassNames.First(c => c != oldLabel);
        var before = await Report(run.Id);
        Assert.True(HoldsIndex(run.Id));

        await Annotate(datasetId, hit.Row, newLabel);
        // In-process its label filter held the old label; PostgreSQL's filter reads ItemLabels in the query, so it stays.
        Assert.Equal(TestDatabase.IsPostgres, HoldsIndex(run.Id));
        var after = (await Search(run.Id, query)).Hits[0];
        var filtered = await Search(run.Id, new { itemId = features.Items[0].Id, target = "text", k = 1000, labels = new[] { newLabel } });
        var reported = await Report(run.Id);
        await Annotate(datasetId, hit.Row, oldLabel);
        var restored = await Report(run.Id);

        Assert.Equal(("run", (int?)0), (before.Labels.Source, before.Labels.ChangedSince));
        Assert.Equal(hit.ItemId, after.ItemId);
        Assert.Equal([newLabel], after.Labels);
        Assert.Contains(filtered.Hits, h => h.ItemId == hit.ItemId);
        Assert.Equal(1, reported.Labels.ChangedSince);
        Assert.Equal("1 item's labels changed since this run was trained; its results use the labels it was trained with.", reported.Labels.Note);
        Assert.Equal(before.ClassAp.Rows, reported.ClassAp.Rows); // still the labels the run was trained with
        Assert.Equal(0, restored.Labels.ChangedSince);
    }

    [Fact]
    public async Task DeletingARunAndThenItsDatasetDropsWhatWasLoadedFromTheirFiles()
    {
        var (datasetId, features, run) = await app.ImportAndTrainShortRun();
        await Search(run.Id, new { itemId = features.Items[0].Id, target = "text", k = 1 });
        // A free-text query loads the dataset's encoders, even to say this feature-only dataset has none for text.
        var text = await app.CreateClient().PostAsJsonAsync($"/api/runs/{run.Id}/search", new { text = "a query" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.True(HoldsIndex(run.Id));
        Assert.True(Cache.Holds<QueryEncoders>(datasetId));

        Assert.Equal(HttpStatusCode.NoContent, (await app.CreateClient().DeleteAsync($"/api/runs/{run.Id}", Cancel)).StatusCode);
        Assert.False(HoldsIndex(run.Id));
        Assert.True(Cache.Holds<QueryEncoders>(datasetId)); // other runs of the dataset use them

        Assert.Equal(HttpStatusCode.NoContent, (await app.CreateClient().DeleteAsync($"/api/datasets/{datasetId}", Cancel)).StatusCode);
        Assert.False(Cache.Holds<QueryEncoders>(datasetId));
        Assert.Equal(0, Cache.Bytes);
    }

    private async Task<SearchResponse> Search(int runId, object request)
    {
        var response = await app.CreateClient().PostAsJsonAsync($"/api/runs/{runId}/search", request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, Cancel))!;
    }

    private async Task Annotate(int datasetId, int row, string label)
    {
        var edit = await app.CreateClient().PutAsJsonAsync($"/api/datasets/{datasetId}/items/{row}/labels", new { labels = new[] { label } }, Cancel);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
    }

    private async Task<RunReportResponse> Report(int runId) =>
        (await app.CreateClient().GetFromJsonAsync<RunReportResponse>($"/api/runs/{runId}/report", Json.Options, Cancel))!;
}
