using System.Net.Http.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Components.Datasets;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Datasets;

/// <summary>
/// GET /api/datasets/{id}/items and the dataset page's items grid filter the same way, by split, class and labeled
/// (alone and within a budget), and both follow annotations: checked against the items' labels, filter by filter.
/// </summary>
public sealed class ItemListTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private readonly HttpClient client;
    // Three classes, 18 items (fewer than a grid page), multi-label, some train items unlabeled.
    private readonly FeatureDataset source = FeatureSamples.Generate(FeatureSampleSpec.MultiLabelDefault with { Classes = 3, TrainItems = 12, TestItems = 6, UnlabeledShare = 0.4 });
    private int[][] labels = [];
    private int datasetId;
    private BudgetResponse budget = null!;

    public ItemListTests() => client = app.CreateClient();

    public async ValueTask InitializeAsync()
    {
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>();
        await using (var db = await dbFactory.CreateDbContextAsync(Cancel))
        {
            var dataset = new Dataset
            {
                Name = "list", Source = "folder", Status = DatasetStatus.Ready, ItemCount = source.Items.Count, Classes = [.. source.ClassNames],
                IsMultiLabel = true, CreatedAt = DateTime.UtcNow,
            };
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(Cancel);
            datasetId = dataset.Id;
        }
        await ItemRows.Insert(dbFactory, datasetId, source.Items, new Progress<Ml.Import.ImportProgress>(), TimeProvider.System, Cancel);
        labels = [.. source.Items.Select(i => i.Labels.ToArray())];
    }

    // A budget's rows go to the database as the rows it shows, or as the candidates it hides when those are fewer
    // (a large budget): 20% is sent the first way, all the second, half either (one candidate can tip it).
    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public async Task ListAndGridShowTheSameItemsForEveryFilterBeforeAndAfterAnnotation(double ratio)
    {
        var created = await client.PostAsJsonAsync($"/api/datasets/{datasetId}/budgets", new { ratio, seed = 1 }, Cancel);
        created.EnsureSuccessStatusCode();
        budget = (await created.Content.ReadFromJsonAsync<BudgetResponse>(Json.Options, Cancel))!;
        Assert.Contains(labels, l => l.Length == 0);
        Assert.Contains(labels, l => l.Length > 1);
        await CheckEveryFilter();

        int shownLabeled = budget.LabeledRows.First(r => labels[r].Length > 0);
        int unlabeledTrain = Enumerable.Range(0, labels.Length).First(r => labels[r].Length == 0 && source.Items[r].Split == Split.Train);
        int test = Enumerable.Range(0, labels.Length).First(r => source.Items[r].Split == Split.Test && !labels[r].Contains(1));
        await Annotate(shownLabeled, []); // still in the budget's rows, but unlabeled now
        await Annotate(unlabeledTrain, [1, 2]);
        await Annotate(test, [1]);

        await CheckEveryFilter();
    }

    private async Task CheckEveryFilter()
    {
        foreach (Split? split in new Split?[] { null, Split.Train, Split.Test })
            foreach (int? label in new int?[] { null, 1 })
            {
                foreach (var state in Enum.GetValues<LabelState>())
                {
                    var expected = Expected(split, label, state);
                    var filter = new ItemFilter(split, label, state);
                    Assert.Equal(expected, await ListRows(filter, budget.Id));
                    Assert.Equal(expected, await GridRows(filter));
                }
                // Without a budget the API's labeled means carrying a label.
                foreach (bool labeled in new[] { true, false })
                    Assert.Equal(Rows(split, label).Where(r => labels[r].Length > 0 == labeled), await ListRows(new ItemFilter(split, label), null, labeled));
            }
    }

    private IEnumerable<int> Rows(Split? split, int? label) => Enumerable.Range(0, labels.Length)
        .Where(r => split is null || source.Items[r].Split == split).Where(r => label is null || labels[r].Contains(label.Value));

    private List<int> Expected(Split? split, int? label, LabelState state) =>
    [
        .. Rows(split, label).Where(r => state switch
        {
            LabelState.Labeled => budget.LabeledRows.Contains(r) && labels[r].Length > 0,
            LabelState.Unlabeled => !(budget.LabeledRows.Contains(r) && labels[r].Length > 0),
            _ => true,
        }),
    ];

    private async Task<List<int>> ListRows(ItemFilter filter, int? budgetId, bool? labeled = null)
    {
        labeled ??= filter.State switch { LabelState.Labeled => true, LabelState.Unlabeled => false, _ => null };
        string query = string.Join("&", new[]
        {
            filter.Split is { } s ? $"split={s.ToString().ToLowerInvariant()}" : null,
            filter.Label is { } l ? $"label={source.ClassNames[l]}" : null,
            labeled is { } b ? $"labeled={(b ? "true" : "false")}" : null,
            budgetId is { } id ? $"budgetId={id}" : null,
            "limit=500",
        }.Where(p => p is not null));
        var page = (await client.GetFromJsonAsync<ItemPage>($"/api/datasets/{datasetId}/items?{query}", Json.Options, Cancel))!;
        Assert.Equal(page.Items.Count, page.Total);
        // Each row's labels are the item's, by name.
        Assert.All(page.Items, i => Assert.Equal(labels[i.Row].Select(c => source.ClassNames[c]), i.Labels));
        return [.. page.Items.Select(i => i.Row)];
    }

    /// <summary>The rows the dataset page's grid shows for the filter with the budget selected, on the app's own database.</summary>
    private async Task<List<int>> GridRows(ItemFilter filter)
    {
        await using var context = MudTestContext.Create();
        context.Services.AddSingleton(app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>());
        context.Services.AddDatasetReading();
        var grid = context.Render<ItemsGrid>(p => p
            .Add(g => g.DatasetId, datasetId)
            .Add(g => g.Filter, filter)
            .Add(g => g.LabeledRows, budget.LabeledRows.ToHashSet()));
        await grid.InvokeAsync(grid.Instance.Reload); // the page's data is in once a reload has finished
        return [.. grid.FindAll("tbody tr td:first-child").Select(td => td.TextContent.Trim()).Where(t => t.Length > 0 && char.IsDigit(t[0])).Select(int.Parse)];
    }

    private async Task Annotate(int row, int[] classes)
    {
        var response = await client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/{row}/labels", new { labels = classes.Select(c => source.ClassNames[c]) }, Cancel);
        response.EnsureSuccessStatusCode();
        labels[row] = classes;
    }

    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }
}
