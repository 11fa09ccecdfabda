using System.Net;
using System.Net.Http.Json;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests;

/// <summary>The database is the one truth of an item's labels: search answers with a label edited a moment ago.</summary>
public sealed class LabelEditSearchTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AnnotatingAnItemChangesItsLabelsInTheNextSearchAndInTheLabelFilter()
    {
        var (datasetId, features, run) = await app.ImportAndTrainShortRun();
        string query = features.Items[0].Id;

        var before = await Search(run.Id, new { itemId = query, target = "text", k = 1 });
        var hit = before.Hits[0];
        string oldLabel = hit.Labels[0], newLabel = features.ClassNames.First(c => c != oldLabel);
        var edit = await app.CreateClient().PutAsJsonAsync($"/api/datasets/{datasetId}/items/{hit.Row}/labels", new { labels = new[] { newLabel } }, Cancel);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);

        var after = await Search(run.Id, new { itemId = query, target = "text", k = 1 });
        var withNewLabel = await Search(run.Id, new { itemId = query, target = "text", k = 1000, labels = new[] { newLabel } });
        var withOldLabel = await Search(run.Id, new { itemId = query, target = "text", k = 1000, labels = new[] { oldLabel } });

        Assert.Equal(hit.ItemId, after.Hits[0].ItemId);
        Assert.Equal([newLabel], after.Hits[0].Labels);
        Assert.Contains(withNewLabel.Hits, h => h.ItemId == hit.ItemId);
        Assert.DoesNotContain(withOldLabel.Hits, h => h.ItemId == hit.ItemId);
    }

    private async Task<SearchResponse> Search(int runId, object request)
    {
        var response = await app.CreateClient().PostAsJsonAsync($"/api/runs/{runId}/search", request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, Cancel))!;
    }
}
