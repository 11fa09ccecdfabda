using Bunit;
using SemiCmr.Web.Components.Datasets;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Datasets;

public sealed class NewRunActionTests : IAsyncDisposable
{
    private readonly BunitContext context = MudTestContext.Create();

    private IRenderedComponent<NewRunAction> Render(bool train, bool test) => context.Render<NewRunAction>(p => p
        .Add(a => a.DatasetId, 3).Add(a => a.HasLabeledTrain, train).Add(a => a.HasLabeledTest, test));

    [Fact]
    public void ADatasetWithoutLabelsSaysRunsNeedLabeledItemsInsteadOfOfferingARun()
    {
        var action = Render(train: false, test: false);

        Assert.Contains("no labels: runs need labeled items", action.Find("[data-testid='no-labels']").TextContent);
        Assert.Empty(action.FindAll("[data-testid='new-run']"));
    }

    [Fact]
    public void ADatasetWithoutLabeledTrainItemsOffersARunAndSaysOnlyCcaIsPossible()
    {
        var action = Render(train: false, test: true);

        Assert.Contains("only cca", action.Find("[data-testid='no-train-labels']").TextContent);
        Assert.Equal("/runs/new?datasetId=3", action.Find("[data-testid='new-run']").GetAttribute("href"));
    }

    [Fact]
    public void ALabeledDatasetOffersANewRunWithoutWarnings()
    {
        var action = Render(train: true, test: true);

        Assert.Empty(action.FindAll(".mud-alert"));
        Assert.Single(action.FindAll("[data-testid='new-run']"));
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
