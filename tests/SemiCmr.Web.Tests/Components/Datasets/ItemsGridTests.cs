using Bunit;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Components.Datasets;

namespace SemiCmr.Web.Tests.Components.Datasets;

public sealed class ItemsGridTests
{
    [Fact]
    public async Task SplitFilterShowsOnlyThatSplitsItems() =>
        Assert.Equal(["a", "b"], await Shown(new ItemFilter(Split: Split.Train)));

    [Fact]
    public async Task LabelFilterShowsTheItemsCarryingTheClass() =>
        Assert.Equal(["b", "d"], await Shown(new ItemFilter(Label: 1)));

    [Fact]
    public async Task StateFilterSeparatesTheBudgetsLabeledItemsFromTheRest()
    {
        Assert.Equal(["a"], await Shown(new ItemFilter(State: LabelState.Labeled), labeledRows: [0]));
        Assert.Equal(["b", "c", "d"], await Shown(new ItemFilter(State: LabelState.Unlabeled), labeledRows: [0]));
    }

    [Fact]
    public async Task FiltersCombine() =>
        Assert.Equal(["b"], await Shown(new ItemFilter(Split.Train, 1, LabelState.Unlabeled), labeledRows: [0]));

    private static async Task<List<string>> Shown(ItemFilter filter, int[]? labeledRows = null)
    {
        var (context, datasetId) = ComponentDb.WithDataset(ComponentDb.Tiny());
        await using (context)
        {
            var grid = context.Render<ItemsGrid>(p => p
                .Add(g => g.DatasetId, datasetId)
                .Add(g => g.Filter, filter)
                .Add(g => g.LabeledRows, labeledRows?.ToHashSet()));
            List<string> ids = [];
            grid.WaitForAssertion(() =>
            {
                ids = [.. grid.FindAll(".item-id").Select(e => e.TextContent.Trim())];
                Assert.NotEmpty(ids);
            });
            return ids;
        }
    }
}
