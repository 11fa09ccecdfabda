using System.Net;
using System.Net.Http.Json;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests;

[Collection(WikiCollection.Name)]
public sealed class SearchTests(WikiAppFixture fixture)
{
    private const string WikiItem = "b3150b0c281960b6a6d33407824fd40a-3";

    [Fact]
    public async Task SearchByItemIdReturnsKHitsInDescendingScoreWithLabels()
    {
        var run = await fixture.SucceededRun();
        var response = await fixture.App.CreateClient().PostAsJsonAsync($"/api/runs/{run.Id}/search",
            new { itemId = WikiItem, target = "text", k = 7 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, TestContext.Current.CancellationToken);
        Assert.Equal(7, result!.Hits.Count);
        Assert.Equal(2866, result.Total);
        Assert.Equal(result.Hits.OrderByDescending(h => h.Score).Select(h => h.ItemId), result.Hits.Select(h => h.ItemId));
        Assert.All(result.Hits, hit => Assert.Single(hit.Labels));
        Assert.All(result.Hits, hit => Assert.InRange(hit.Score, -1.0001, 1.0001));
    }

    [Fact]
    public async Task OffsetPagesThroughTheSameRankingAndLabelsFilterIt()
    {
        var run = await fixture.SucceededRun();
        var client = fixture.App.CreateClient();
        async Task<SearchResponse> Search(object body) =>
            (await (await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", body)).Content.ReadFromJsonAsync<SearchResponse>(Json.Options))!;

        var first = await Search(new { itemId = WikiItem, target = "image", k = 10 });
        var second = await Search(new { itemId = WikiItem, target = "image", k = 5, offset = 5 });
        Assert.Equal(first.Hits.Skip(5).Select(h => h.ItemId), second.Hits.Select(h => h.ItemId));

        var sport = await Search(new { itemId = WikiItem, target = "image", k = 20, labels = new[] { "sport" } });
        Assert.All(sport.Hits, hit => Assert.Equal(["sport"], hit.Labels));
        Assert.InRange(sport.Total, 20, 2865);
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
        var label = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = WikiItem, target = "text", labels = new[] { "cats" } }, TestContext.Current.CancellationToken);
        Assert.True((await Problem.Read(label, HttpStatusCode.BadRequest)).Errors.ContainsKey("labels"));
        var missingRun = await client.PostAsJsonAsync("/api/runs/9999/search", new { itemId = WikiItem, target = "text" }, TestContext.Current.CancellationToken);
        Assert.True((await Problem.Read(missingRun, HttpStatusCode.NotFound)).Errors.ContainsKey("id"));
        var target = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = WikiItem, target = "audio", k = 0 }, TestContext.Current.CancellationToken);
        var problem = await Problem.Read(target, HttpStatusCode.BadRequest);
        Assert.True(problem.Errors.ContainsKey("target"));
        Assert.True(problem.Errors.ContainsKey("k"));
    }
}
