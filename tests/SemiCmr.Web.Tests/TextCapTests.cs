using System.Net.Http.Json;
using SemiCmr.Ml.Import;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Runs;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests;

public sealed class TextCapTests : IAsyncDisposable
{
    private const int Cap = RawImportSettings.DefaultMaxTextChars;
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOversizedTextIsCutAndReportedAndOnlyTheItemsOwnUrlReturnsIt()
    {
        // A feature dataset with a text column: one item's text is 150,000 characters long.
        string folder = FeatureSamples.Write(Path.Combine(app.ImportRoot, "long-text"), FeatureSampleSpec.SingleLabel with { TrainItems = 400, TestItems = 100 });
        var lines = File.ReadAllLines(Path.Combine(folder, "items.csv"));
        string longText = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"word{i % 10_000:D4} "))[..150_000];
        File.WriteAllLines(Path.Combine(folder, "items.csv"),
            lines.Select((line, i) => line + (i == 0 ? ",text" : i == 1 ? "," + longText : $",item text {i}")));
        string longId = lines[1].Split(',')[0];

        int id = await app.ImportFolder(folder);
        var dataset = await app.WaitForDataset(id);
        var cut = Assert.Single(dataset.Truncated!);
        Assert.Equal((longId, "items.csv"), (cut.Item, cut.File));
        Assert.InRange(cut.Chars, Cap - 10, Cap);

        var client = app.CreateClient();
        var page = await client.GetFromJsonAsync<ItemPage>($"/api/datasets/{id}/items?limit=500", Json.Options, Cancel);
        var listed = page!.Items.Single(item => item.ExternalId == longId);
        Assert.EndsWith("…", listed.Text);
        Assert.InRange(listed.Text!.Length, 200, TextExcerpt.Length + 1);

        var item = await client.GetFromJsonAsync<ItemDetails>($"/api/datasets/{id}/items/{listed.Row}", Json.Options, Cancel);
        Assert.Equal(longText[..cut.Chars], item!.Text);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync($"/api/datasets/{id}/items/100000", Cancel)).StatusCode);

        var run = await app.StartRun(new { datasetId = id, method = "cca", labelRatio = 0.5, seed = 1 });
        await app.WaitForRun(run.Id, r => r.Status == Data.RunStatus.Succeeded);
        var search = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = longId, target = "text", k = 1000 }, Cancel);
        var hits = (await search.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, Cancel))!.Hits;
        Assert.Equal(listed.Text, hits.Single(hit => hit.ItemId == longId).Text);
        Assert.All(hits, hit => Assert.True(hit.Text!.Length <= TextExcerpt.Length + 1));
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
