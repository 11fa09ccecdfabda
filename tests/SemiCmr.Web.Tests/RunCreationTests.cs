using System.Net.Http.Json;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Data;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

[Collection(FeatureCollection.Name)]
public sealed class RunCreationTests(FeatureAppFixture fixture)
{
    private SemiCmrApp App => fixture.App;

    [Fact]
    public async Task RunOnAHandPickedBudgetRecordsLabeledOverLabeledTrainItemsAsItsRatio()
    {
        var client = App.CreateClient();
        var created = await client.PostAsJsonAsync($"/api/datasets/{fixture.DatasetId}/budgets", new { ratio = 0.1, seed = 4 }, TestContext.Current.CancellationToken);
        var budget = (await created.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, TestContext.Current.CancellationToken))!;
        var unmark = await client.PutAsJsonAsync($"/api/budgets/{budget.Id}/items/{budget.LabeledRows[0]}", new { labeled = false }, TestContext.Current.CancellationToken);
        var manual = (await unmark.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, TestContext.Current.CancellationToken))!;
        Assert.Null(manual.Ratio);

        var run = await App.StartRun(new { datasetId = fixture.DatasetId, method = "cca", budgetId = budget.Id });
        await client.PostAsync($"/api/runs/{run.Id}/cancel", null, TestContext.Current.CancellationToken);

        // One fewer than the budget of the labeled train items, not of all items.
        int train = fixture.Features.IndicesOf(Ml.Data.Split.Train).Count(row => fixture.Features.Items[row].HasLabels);
        Assert.Equal((budget.Preview.Labeled - 1, train), (manual.Preview.Labeled, manual.Preview.Candidates));
        Assert.Equal((double)manual.Preview.Labeled / manual.Preview.Candidates, run.LabelRatio, 1e-12);
        await App.WaitForRun(run.Id, r => r.Status != RunStatus.Queued && r.Status != RunStatus.Running);
    }
}
