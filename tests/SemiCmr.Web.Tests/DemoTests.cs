using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Demo;
using SemiCmr.Web.Runs;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests;

public sealed class DemoTests
{
    [Fact]
    public async Task AFreshInstallGetsTheShapesDemoTrainedAndSearchableByFreeText()
    {
        await using var baseApp = SemiCmrApp.InTempFolders();
        await using var app = baseApp.WithWebHostBuilder(builder => builder.UseSetting("Demo:Enabled", "true"));
        var client = app.CreateClient();
        var cancel = TestContext.Current.CancellationToken;

        RunResponse? run = null;
        for (var deadline = DateTime.UtcNow.AddMinutes(4); DateTime.UtcNow < deadline && run?.Status is not (RunStatus.Succeeded or RunStatus.Failed); await Task.Delay(500, cancel))
            run = (await client.GetFromJsonAsync<List<RunResponse>>("/api/runs", Json.Options, cancel))!.FirstOrDefault();

        Assert.Equal(RunStatus.Succeeded, run?.Status);
        var dataset = (await client.GetFromJsonAsync<List<DatasetResponse>>("/api/datasets", Json.Options, cancel))!.Single();
        Assert.Equal((DemoSeeder.DatasetName, DatasetStatus.Ready, SceneManifest.DefaultCount, "tfidf"), (dataset.Name, dataset.Status, dataset.ItemCount, dataset.TextEncoder));

        var response = await client.PostAsJsonAsync($"/api/runs/{run!.Id}/search", new { text = "a red circle", k = 10 }, cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hits = (await response.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, cancel))!.Hits;
        Assert.All(hits.Take(5), hit => Assert.True(hit.Labels.Contains("red") || hit.Labels.Contains("circle"), string.Join(",", hit.Labels)));
        Assert.InRange(hits.Count(h => h.Labels.Contains("red") && h.Labels.Contains("circle")), 5, 10);
    }
}
