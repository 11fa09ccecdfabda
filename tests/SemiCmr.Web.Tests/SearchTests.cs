using System.Net;
using System.Net.Http.Json;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests;

[Collection(FeatureCollection.Name)]
public sealed class SearchTests(FeatureAppFixture fixture)
{
    private string Item => fixture.Features.Items[0].Id;

    [Fact]
    public async Task SearchByItemIdReturnsKHitsInDescendingScoreWithLabels()
    {
        var run = await fixture.SucceededRun();
        var response = await fixture.App.CreateClient().PostAsJsonAsync($"/api/runs/{run.Id}/search",
            new { itemId = Item, target = "text", k = 7 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, TestContext.Current.CancellationToken);
        Assert.Equal(7, result!.Hits.Count);
        Assert.Equal(fixture.Features.Items.Count, result.Total);
        Assert.Equal(result.Hits.OrderByDescending(h => h.Score).Select(h => h.ItemId), result.Hits.Select(h => h.ItemId));
        Assert.All(result.Hits, hit => Assert.Single(hit.Labels));
        Assert.All(result.Hits, hit => Assert.InRange(hit.Score, -1.0001, 1.0001));
    }

    [Fact]
    public async Task SearchByItemIdWithoutTargetRanksTextsByTheItemsImage()
    {
        var run = await fixture.SucceededRun();
        var client = fixture.App.CreateClient();

        var implicitTarget = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = Item, k = 5 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, implicitTarget.StatusCode);
        var texts = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = Item, target = "text", k = 5 }, TestContext.Current.CancellationToken);
        var expected = await texts.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, TestContext.Current.CancellationToken);
        var actual = await implicitTarget.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, TestContext.Current.CancellationToken);
        Assert.Equal(expected!.Hits.Select(h => (h.ItemId, h.Score)), actual!.Hits.Select(h => (h.ItemId, h.Score)));
    }

    [Fact]
    public async Task OffsetPagesThroughTheSameRankingAndLabelsFilterIt()
    {
        var run = await fixture.SucceededRun();
        var client = fixture.App.CreateClient();
        async Task<SearchResponse> Search(object body) =>
            (await (await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", body)).Content.ReadFromJsonAsync<SearchResponse>(Json.Options))!;

        var first = await Search(new { itemId = Item, target = "image", k = 10 });
        var second = await Search(new { itemId = Item, target = "image", k = 5, offset = 5 });
        Assert.Equal(first.Hits.Skip(5).Select(h => h.ItemId), second.Hits.Select(h => h.ItemId));

        string label = fixture.Features.ClassNames[^1];
        var filtered = await Search(new { itemId = Item, target = "image", k = 20, labels = new[] { label } });
        Assert.All(filtered.Hits, hit => Assert.Equal([label], hit.Labels));
        Assert.Equal(fixture.Features.Items.Count(item => item.Labels.Contains(fixture.Features.ClassCount - 1)), filtered.Total);
    }

    [Fact]
    public async Task FreeTextAndImageQueriesAreRefusedWithTheReason()
    {
        var run = await fixture.SucceededRun();
        var client = fixture.App.CreateClient();

        var text = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { text = "a football match", target = "image" }, TestContext.Current.CancellationToken);
        var problem = await Problem.Read(text, HttpStatusCode.BadRequest);
        Assert.Contains("own text features", problem.Errors["text"][0]);

        using var form = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "query.jpg" } };
        var image = await client.PostAsync($"/api/runs/{run.Id}/search/image", form, TestContext.Current.CancellationToken);
        Assert.Contains("own image features", (await Problem.Read(image, HttpStatusCode.BadRequest)).Errors["file"][0]);
    }

    [Fact]
    public async Task UnknownItemsRunsAndLabelsAreProblemsNamingTheField()
    {
        var run = await fixture.SucceededRun();
        var client = fixture.App.CreateClient();

        var item = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = "nope", target = "text" }, TestContext.Current.CancellationToken);
        Assert.True((await Problem.Read(item, HttpStatusCode.NotFound)).Errors.ContainsKey("itemId"));
        var label = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = Item, target = "text", labels = new[] { "no such class" } }, TestContext.Current.CancellationToken);
        Assert.True((await Problem.Read(label, HttpStatusCode.BadRequest)).Errors.ContainsKey("labels"));
        var missingRun = await client.PostAsJsonAsync("/api/runs/9999/search", new { itemId = Item, target = "text" }, TestContext.Current.CancellationToken);
        Assert.True((await Problem.Read(missingRun, HttpStatusCode.NotFound)).Errors.ContainsKey("id"));
        var target = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = Item, target = "audio", k = 0 }, TestContext.Current.CancellationToken);
        var problem = await Problem.Read(target, HttpStatusCode.BadRequest);
        Assert.True(problem.Errors.ContainsKey("target"));
        Assert.True(problem.Errors.ContainsKey("k"));
    }
}
