using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Tests;

/// <summary>The real Wikipedia features (research data) through the app's folder import.</summary>
public sealed class WikiFeaturesImportTests
{
    [Fact]
    public async Task WikiFeaturesImportAsTheOfficialSplitWithTenClasses()
    {
        string folder = ResearchData.Require("wiki-features");
        await using var app = SemiCmrApp.InTempFolders();

        var dataset = await app.WaitForDataset(await app.ImportFolder(folder, "wiki"));

        Assert.Equal(DatasetStatus.Ready, dataset.Status);
        Assert.Equal(2866, dataset.ItemCount);
        Assert.Equal(new SplitCounts(2173, 0, 693), dataset.Splits);
        Assert.Equal(10, dataset.Classes.Count);
        Assert.Equal((128, 10), (dataset.ImageDim, dataset.TextDim));
    }
}
