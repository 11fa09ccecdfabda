using System.Net.Http.Json;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Data;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

[Collection(WikiCollection.Name)]
public sealed class RunCreationTests(WikiAppFixture fixture)
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

        // 216 of the 2,173 labeled train items, not of all 2,866 items.
        Assert.Equal((216, 2173), (manual.Preview.Labeled, manual.Preview.Candidates));
        Assert.Equal((double)manual.Preview.Labeled / manual.Preview.Candidates, run.LabelRatio, 1e-12);
        await App.WaitForRun(run.Id, r => r.Status != RunStatus.Queued && r.Status != RunStatus.Running);
    }
}
