using System.Net;
using System.Net.Http.Json;

namespace SemiCmr.Web.Tests;

[Collection(FeatureCollection.Name)]
public sealed class RunLabelTests(FeatureAppFixture fixture)
{
    private SemiCmrApp App => fixture.App;

    [Fact]
    public async Task ADatasetWithoutLabelsRefusesEveryMethodNamingTheDataset()
    {
        int datasetId = await App.ImportFolder(TinyDatasets.Write(App.ImportRoot, "unlabeled", labels: ["", "", "", ""]), "unlabeled");
        await App.WaitForDataset(datasetId);
        var client = App.CreateClient();

        foreach (var method in new[] { "sscmr", "supervised", "full", "cca" })
        {
            var response = await client.PostAsJsonAsync("/api/runs", new { datasetId, method, labelRatio = 0.5 }, TestContext.Current.CancellationToken);
            var problem = await Problem.Read(response, HttpStatusCode.BadRequest);
            Assert.Contains("no labeled test items", problem.Errors["datasetId"][0]);
        }
    }

    [Fact]
    public async Task ADatasetWithoutLabeledTrainItemsOnlyAcceptsCca()
    {
        int datasetId = await App.ImportFolder(TinyDatasets.Write(App.ImportRoot, "test-labels-only", labels: ["", "", "cat", "dog"]), "test labels only");
        await App.WaitForDataset(datasetId);
        var client = App.CreateClient();

        foreach (var method in new[] { "sscmr", "supervised", "full" })
        {
            var response = await client.PostAsJsonAsync("/api/runs", new { datasetId, method, labelRatio = 0.5 }, TestContext.Current.CancellationToken);
            var problem = await Problem.Read(response, HttpStatusCode.BadRequest);
            Assert.Contains("no labeled training items", Assert.Single(problem.Errors["datasetId"]));
        }
        var cca = await App.StartRun(new { datasetId, method = "cca", labelRatio = 0.5 });
        await App.WaitForRun(cca.Id, r => r.Status is not (Data.RunStatus.Queued or Data.RunStatus.Running));
    }
}
