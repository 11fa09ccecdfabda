using System.Net;
using System.Net.Http.Json;
using SemiCmr.Ml.Budget;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Data;
using MlBudget = SemiCmr.Ml.Budget.LabelBudget;

namespace SemiCmr.Web.Tests.Components.Budgets;

[Collection(FeatureCollection.Name)]
public sealed class BudgetEndpointTests(FeatureAppFixture fixture)
{
    private HttpClient Client => fixture.App.CreateClient();
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PreviewShowsTheStratifiedCountPerClassThatCreatingTheBudgetSaves()
    {
        var features = fixture.Features;
        var expected = MlBudget.Preview(features, MlBudget.ByRatio(features, 0.1, 7));
        int train = features.IndicesOf(Split.Train).Length;

        var preview = await Client.GetFromJsonAsync<BudgetPreview>($"/api/datasets/{fixture.DatasetId}/budgets/preview?ratio=0.1&seed=7", Json.Options, Token);
        var response = await Client.PostAsJsonAsync($"/api/datasets/{fixture.DatasetId}/budgets", new { ratio = 0.1, seed = 7 }, Token);

        Assert.Equal((int)Math.Round(0.1 * train), preview!.Labeled); // 10% of the train items
        Assert.Equal(train, preview.Candidates);
        Assert.Equal(expected.Classes.Select(c => (c.Name, c.Labeled, c.Candidates)), preview.Classes.Select(c => (c.Name, c.Labeled, c.Candidates)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, Token))!;
        Assert.Equal(BudgetKind.Ratio, created.Kind);
        Assert.Equal(preview.Classes.Select(c => c.Labeled), created.Preview.Classes.Select(c => c.Labeled));
        var listed = await Client.GetFromJsonAsync<List<BudgetSummary>>($"/api/datasets/{fixture.DatasetId}/budgets", Json.Options, Token);
        Assert.Contains(listed!, b => b.Id == created.Id && b.Labeled == preview.Labeled);
    }

    [Fact]
    public async Task MarkingAnItemByHandShowsItsLabelsAndMakesTheBudgetManual()
    {
        var budget = await Create(0.05, 3);
        int row = fixture.Features.IndicesOf(Split.Train).First(r => !budget.LabeledRows.Contains(r));

        var marked = await Put($"/api/budgets/{budget.Id}/items/{row}", new { labeled = true });
        var unmarked = await Put($"/api/budgets/{budget.Id}/items/{row}", new { labeled = false });

        Assert.Equal(BudgetKind.Manual, marked.Kind);
        Assert.Contains(row, marked.LabeledRows);
        Assert.Equal(budget.Preview.Labeled + 1, marked.Preview.Labeled);
        Assert.DoesNotContain(row, unmarked.LabeledRows);
        Assert.Equal(budget.Preview.Labeled, unmarked.Preview.Labeled);
    }

    [Fact]
    public async Task ATestItemCannotBeMarkedAsLabeled()
    {
        var budget = await Create(0.05, 4);
        int testRow = fixture.Features.IndicesOf(Split.Test)[0];

        var response = await Client.PutAsJsonAsync($"/api/budgets/{budget.Id}/items/{testRow}", new { labeled = true }, Token);

        var problem = await Problem.Read(response, HttpStatusCode.BadRequest);
        Assert.Contains("only train items", problem.Errors["row"][0]);
    }

    [Fact]
    public async Task SuggestionsAreTheUnlabeledItemsWhoseStageOnePredictionWasLeastConfident()
    {
        var run = await fixture.SucceededRun();
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var budget = await Create(0.1, 1);

        var suggestions = await Client.GetFromJsonAsync<SuggestionsResponse>(
            $"/api/datasets/{fixture.DatasetId}/budgets/{budget.Id}/suggestions?runId={run.Id}&count=5", Json.Options, Token);

        var predictions = ModelFiles.ReadJson<List<LabelPrediction>>(Path.Combine(fixture.App.DataDirectory, "runs", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ModelFiles.Predictions));
        var expected = predictions.Where(p => !budget.LabeledRows.Contains(p.Row)).OrderBy(p => p.Confidence).ThenBy(p => p.Row).Take(5).Select(p => p.Row);
        Assert.Equal(run.Id, suggestions!.RunId);
        Assert.Equal(expected, suggestions.Items.Select(s => s.Row));
        Assert.True(suggestions.Items.Zip(suggestions.Items.Skip(1)).All(pair => pair.First.Confidence <= pair.Second.Confidence));
        Assert.All(suggestions.Items, s => Assert.DoesNotContain(s.Row, budget.LabeledRows));
    }

    [Fact]
    public async Task SuggestionsWithoutARunIdComeFromTheLatestSscmrRunEvenWhenACcaRunIsNewer()
    {
        await fixture.SucceededRun();
        var cca = await fixture.App.StartRun(new { datasetId = fixture.DatasetId, method = "cca", labelRatio = 0.1, seed = 2 });
        Assert.Equal(RunStatus.Succeeded, (await fixture.App.WaitForRun(cca.Id, r => r.Status is not (RunStatus.Queued or RunStatus.Running))).Status);
        var runs = await Client.GetFromJsonAsync<List<SemiCmr.Web.Runs.RunResponse>>($"/api/runs?datasetId={fixture.DatasetId}", Json.Options, Token);
        int latestSscmr = runs!.Where(r => r.Method == Method.Sscmr && r.Status == RunStatus.Succeeded).Max(r => r.Id);
        var budget = await Create(0.1, 3);

        var suggestions = await Client.GetFromJsonAsync<SuggestionsResponse>(
            $"/api/datasets/{fixture.DatasetId}/budgets/{budget.Id}/suggestions?count=5", Json.Options, Token);
        var fromCca = await Client.GetAsync($"/api/datasets/{fixture.DatasetId}/budgets/{budget.Id}/suggestions?runId={cca.Id}", Token);

        Assert.True(cca.Id > latestSscmr);
        Assert.Equal(latestSscmr, suggestions!.RunId);
        Assert.Equal(5, suggestions.Items.Count);
        Assert.Contains("only sscmr runs predict labels", (await Problem.Read(fromCca, HttpStatusCode.NotFound)).Errors["runId"][0]);
    }

    private async Task<BudgetResponse> Create(double ratio, int seed)
    {
        var response = await Client.PostAsJsonAsync($"/api/datasets/{fixture.DatasetId}/budgets", new { ratio, seed }, Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, Token))!;
    }

    private async Task<BudgetResponse> Put(string url, object body)
    {
        var response = await Client.PutAsJsonAsync(url, body, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, Token))!;
    }
}
