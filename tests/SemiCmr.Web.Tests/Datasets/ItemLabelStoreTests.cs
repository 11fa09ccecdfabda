using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Data;
using SemiCmr.Web.Tests.Components.Datasets;

namespace SemiCmr.Web.Tests.Datasets;

/// <summary>
/// An item's labels are its ItemLabels rows and HasLabels says whether it has any: written together by one writer
/// (ItemLabelStore) at import and annotation, so they agree, and nothing else writes either.
/// </summary>
public sealed partial class ItemLabelStoreTests
{
    [Fact]
    public async Task LabelRowsAndHasLabelsAgreeAfterImportAndAnnotation()
    {
        var source = FeatureSamples.Generate(FeatureSampleSpec.MultiLabelDefault with { TrainItems = 40, TestItems = 10, UnlabeledShare = 0.4 });
        var (context, datasetId) = ComponentDb.WithDataset(source);
        await using var _ = context;
        var expected = source.Items.Select(i => i.Labels.ToArray()).ToArray();
        Assert.Equal(expected, await Stored(context, datasetId)); // as imported

        var budgets = context.Services.GetRequiredService<BudgetService>();
        int labeled = Array.FindIndex(expected, l => l.Length > 1), unlabeled = Array.FindIndex(expected, l => l.Length == 0);
        string[] classes = [.. source.ClassNames];
        await Annotate(labeled, []);                                  // labeled -> unlabeled
        await Annotate(unlabeled, [classes[2], classes[0], classes[2]]); // unlabeled -> labeled, a class given twice
        await Annotate(0, [classes[1]]);                              // labels changed
        await Annotate(0, [classes[1]]);                              // the same again

        Assert.Equal(expected, await Stored(context, datasetId));

        async Task Annotate(int row, string[] names)
        {
            Assert.Null((await budgets.SetLabels(datasetId, row, names, Cancel)).Problem);
            expected[row] = [.. names.Distinct().Select(n => Array.IndexOf(classes, n)).Order()];
        }
    }

    [Fact]
    public void OnlyItemLabelStoreWritesLabelRowsOrHasLabels()
    {
        string src = Path.Combine(TestPaths.RepoRoot, "src", "SemiCmr.Web");
        var writers = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => LabelWrite().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(TestPaths.RepoRoot, f).Replace('\\', '/'));

        Assert.Equal(["src/SemiCmr.Web/Datasets/ItemLabelStore.cs"], writers);
    }

    /// <summary>Every item's label rows (ascending) by row, after checking each item's HasLabels against them.</summary>
    private static async Task<int[][]> Stored(Bunit.BunitContext context, int datasetId)
    {
        await using var db = await context.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Cancel);
        var rows = await db.ItemLabels.Where(l => l.DatasetId == datasetId).ToListAsync(Cancel);
        var items = await db.Items.Where(i => i.DatasetId == datasetId).OrderBy(i => i.Row).ToListAsync(Cancel);
        var byRow = items.Select(i => rows.Where(l => l.Row == i.Row).Select(l => l.ClassIndex).Order().ToArray()).ToArray();
        Assert.All(items, i => Assert.Equal(byRow[i.Row].Length > 0, i.HasLabels));
        Assert.All(rows, l => Assert.Contains(items, i => i.Row == l.Row)); // no label row without its item
        return byRow;
    }

    // An assignment to HasLabels (not ==, not =>), a SetProperty of it, an add, remove or bulk write of label rows
    // through EF Core, or SQL that writes either.
    [GeneratedRegex(@"HasLabels\s*=(?![=>])|SetProperty\([^)]*HasLabels|ItemLabels\s*\.\s*(Add|AddRange|Remove|RemoveRange|Attach|Update)\b|ItemLabels\b[^;]*\.Execute(Delete|Update)|(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+""?ItemLabels\b|UPDATE\s+""?Items""?\s+SET[^;]*HasLabels")]
    private static partial Regex LabelWrite();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
}
