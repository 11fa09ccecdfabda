using Bunit;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Components.Datasets;
using MlBudget = SemiCmr.Ml.Budget.LabelBudget;

namespace SemiCmr.Web.Tests.Components.Datasets;

public sealed class BudgetEditorTests
{
    [Fact]
    public async Task PreviewShowsTheStratifiedCountPerClassBeforeSaving()
    {
        var features = FeatureSamples.Generate(FeatureSampleSpec.SingleLabel);
        var expected = MlBudget.Preview(features, MlBudget.ByRatio(features, 0.1, 0));
        var (context, datasetId) = ComponentDb.WithDataset(features, "generated");
        await using var _ = context;

        var editor = context.Render<BudgetEditor>(p => p.Add(e => e.DatasetId, datasetId));

        editor.WaitForAssertion(() => Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{expected.Labeled} of {expected.Candidates:N0} labeled train items"), editor.Find("[data-testid=budget-total]").TextContent));
        foreach (var c in expected.Classes)
        {
            var cells = editor.FindAll($"[data-testid=budget-class-{c.Class}] td").Select(td => td.TextContent.Trim()).ToList();
            Assert.Equal([c.Name, c.Labeled.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Candidates.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)], cells.Take(3));
        }
    }

    [Fact]
    public async Task ADatasetWithoutLabeledTrainItemsSaysSoInsteadOfAPreview()
    {
        DatasetItem[] items = [new("a", Split.Train, []), new("b", Split.Test, [0])];
        var empty = new FeatureMatrix([], 2, 0);
        var (context, datasetId) = ComponentDb.WithDataset(new FeatureDataset(items, ["cat"], empty, empty));
        await using var _ = context;

        var editor = context.Render<BudgetEditor>(p => p.Add(e => e.DatasetId, datasetId));

        editor.WaitForAssertion(() => Assert.Contains("no train items with labels", editor.Find("[data-testid=budget-error]").TextContent));
        Assert.True(editor.Find("[data-testid=budget-save]").HasAttribute("disabled"));
    }
}
