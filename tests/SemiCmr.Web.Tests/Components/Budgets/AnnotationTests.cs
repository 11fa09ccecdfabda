using System.Net;
using System.Net.Http.Json;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Tests.Components.Budgets;

/// <summary>Annotation changes labels, so these tests use their own tiny dataset (a,b train; c,d test; cat/dog).</summary>
public sealed class AnnotationTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private int datasetId;
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        datasetId = await app.ImportFolder(TinyDatasets.Write(app.ImportRoot, "tiny"), "tiny");
        Assert.Equal(DatasetStatus.Ready, (await app.WaitForDataset(datasetId)).Status);
    }

    [Fact]
    public async Task AnnotatingAnItemStoresItsNewLabelsAndBudgetsCountThem()
    {
        var client = app.CreateClient();
        var response = await client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/0/labels", new { labels = new[] { "dog" } }, Token);
        var created = await client.PostAsJsonAsync($"/api/datasets/{datasetId}/budgets", new { ratio = 1.0, seed = 0 }, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = await response.Content.ReadFromJsonAsync<ItemLabelsResponse>(Json.Options, Token);
        Assert.Equal(["dog"], item!.Labels);
        var budget = await created.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, Token);
        Assert.Equal([0, 2], budget!.Preview.Classes.Select(c => c.Labeled)); // cat none, dog both train items
    }

    [Fact]
    public async Task ABudgetReadBeforeAnAnnotationCountsTheNewLabelsAfterIt()
    {
        var client = app.CreateClient();
        var created = await client.PostAsJsonAsync($"/api/datasets/{datasetId}/budgets", new { ratio = 1.0, seed = 0 }, Token);
        var budget = (await created.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, Token))!;
        Assert.Equal([1, 1], budget.Preview.Classes.Select(c => c.Labeled)); // as imported: one cat, one dog

        var response = await client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/0/labels", new { labels = new[] { "dog" } }, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await client.GetFromJsonAsync<BudgetResponse>($"/api/budgets/{budget.Id}", Json.Options, Token);
        Assert.Equal([0, 2], after!.Preview.Classes.Select(c => c.Labeled));
    }

    [Fact]
    public async Task ABudgetListReadBeforeAnItemIsUnlabeledCountsOneFewerAfterIt()
    {
        var client = app.CreateClient();
        var created = await client.PostAsJsonAsync($"/api/datasets/{datasetId}/budgets", new { ratio = 1.0, seed = 0 }, Token);
        var budget = (await created.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, Token))!;
        var before = await client.GetFromJsonAsync<List<BudgetSummary>>($"/api/datasets/{datasetId}/budgets", Json.Options, Token);
        Assert.Equal((2, 2), before!.Where(b => b.Id == budget.Id).Select(b => (b.Labeled, b.Candidates)).Single());

        var response = await client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/0/labels", new { labels = Array.Empty<string>() }, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await client.GetFromJsonAsync<List<BudgetSummary>>($"/api/datasets/{datasetId}/budgets", Json.Options, Token);
        Assert.Equal((1, 1), after!.Where(b => b.Id == budget.Id).Select(b => (b.Labeled, b.Candidates)).Single());
        var read = await client.GetFromJsonAsync<BudgetResponse>($"/api/budgets/{budget.Id}", Json.Options, Token);
        Assert.Equal((1, 1), (read!.Preview.Labeled, read.Preview.Candidates)); // the list and the budget agree
    }

    [Fact]
    public async Task AnnotationWithAnUnknownLabelOrTwoLabelsOnASingleLabelDatasetIsRefused()
    {
        var client = app.CreateClient();
        var unknown = await client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/0/labels", new { labels = new[] { "bird" } }, Token);
        var two = await client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/0/labels", new { labels = new[] { "cat", "dog" } }, Token);

        Assert.Contains("'bird'", (await Problem.Read(unknown, HttpStatusCode.BadRequest)).Errors["labels"][0]);
        Assert.Contains("single-label", (await Problem.Read(two, HttpStatusCode.BadRequest)).Errors["labels"][0]);
    }

    [Fact]
    public async Task RunsTakeTheAnnotatedLabelsNotTheImportedOnes()
    {
        var client = app.CreateClient();
        var cleared = await client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/0/labels", new { labels = Array.Empty<string>() }, Token);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);

        var run = await app.StartRun(new { datasetId, method = "supervised", labelRatio = 1.0, options = new { stage1Epochs = 1, stage2Epochs = 1 } });
        var finished = await app.WaitForRun(run.Id, r => r.Status is not (RunStatus.Queued or RunStatus.Running));

        // Item 0 lost its label, so the budget drawn for the run can only show item 1.
        var budget = await client.GetFromJsonAsync<BudgetResponse>($"/api/budgets/{finished.BudgetId}", Json.Options, Token);
        Assert.Equal([1], budget!.LabeledRows);
    }

    [Fact]
    public async Task SuggestionsBeforeAnyRunSayWhatIsMissing()
    {
        var client = app.CreateClient();
        var created = await client.PostAsJsonAsync($"/api/datasets/{datasetId}/budgets", new { ratio = 0.5, seed = 0 }, Token);
        var budget = await created.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, Token);

        var response = await client.GetAsync($"/api/datasets/{datasetId}/budgets/{budget!.Id}/suggestions", Token);

        Assert.Contains("train one first", (await Problem.Read(response, HttpStatusCode.NotFound)).Errors["runId"][0]);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
