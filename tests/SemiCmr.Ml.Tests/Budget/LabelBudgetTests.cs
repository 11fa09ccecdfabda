using SemiCmr.Ml.Budget;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;

namespace SemiCmr.Ml.Tests.Budget;

public sealed class LabelBudgetTests
{
    // 100 labeled train items in unequal classes, 25 unlabeled train items, 5 test items.
    private static readonly int[] ClassSizes = [50, 30, 15, 4, 1];
    private static readonly FeatureDataset Dataset = BudgetDatasets.SingleLabel(ClassSizes, unlabeledTrain: 25);

    [Theory]
    [InlineData(0.1, 10)]
    [InlineData(0.05, 5)]
    [InlineData(0.125, 13)]
    [InlineData(0.001, 1)]
    [InlineData(1.0, 100)]
    public void RatioShowsTheRoundedShareOfTheLabeledTrainItems(double ratio, int expected)
    {
        var chosen = LabelBudget.ByRatio(Dataset, ratio, seed: 1);

        Assert.Equal(expected, chosen.Count);
    }

    [Fact]
    public void CountShowsExactlyThatManyDistinctItemsInRowOrder()
    {
        var chosen = LabelBudget.ByCount(Dataset, 37, seed: 3);

        Assert.Equal(37, chosen.Count);
        Assert.Equal(chosen.Order().Distinct(), chosen);
    }

    [Theory]
    [InlineData(20, 0)]
    [InlineData(10, 1)]
    [InlineData(33, 2)]
    [InlineData(64, 3)]
    [InlineData(99, 4)]
    public void EveryClassGetsItsProportionalShareWithinOne(int count, int seed)
    {
        // (Much smaller counts can not be within one everywhere: showing every class once takes precedence.)
        var preview = LabelBudget.Preview(Dataset, LabelBudget.ByCount(Dataset, count, seed));

        foreach (var c in preview.Classes)
        {
            double exact = (double)count * ClassSizes[c.Class] / 100;
            Assert.InRange(c.Labeled, exact - 1, exact + 1);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void EveryClassIsShownOnceWhenTheCountAllowsNoMore(int seed)
    {
        var preview = LabelBudget.Preview(Dataset, LabelBudget.ByCount(Dataset, ClassSizes.Length, seed));

        Assert.All(preview.Classes, c => Assert.Equal(1, c.Labeled));
    }

    [Fact]
    public void UnlabeledAndTestItemsAreNeverChosen()
    {
        var all = LabelBudget.ByRatio(Dataset, 1.0, seed: 5);
        var half = LabelBudget.ByRatio(Dataset, 0.5, seed: 5);

        Assert.Equal(LabelBudget.Candidates(Dataset), all);
        Assert.All(half, row => Assert.True(Dataset.Items[row] is { Split: Split.Train, HasLabels: true }));
    }

    [Fact]
    public void TheSameSeedChoosesTheSameItems()
    {
        Assert.Equal(LabelBudget.ByRatio(Dataset, 0.2, seed: 42), LabelBudget.ByRatio(Dataset, 0.2, seed: 42));
        var multi = BudgetDatasets.MultiLabelWithRareClass();
        Assert.Equal(LabelBudget.ByCount(multi, 30, seed: 42), LabelBudget.ByCount(multi, 30, seed: 42));
    }

    [Fact]
    public void DifferentSeedsChooseDifferentItems()
    {
        Assert.NotEqual(LabelBudget.ByRatio(Dataset, 0.2, seed: 1), LabelBudget.ByRatio(Dataset, 0.2, seed: 2));
        var multi = BudgetDatasets.MultiLabelWithRareClass();
        Assert.NotEqual(LabelBudget.ByCount(multi, 30, seed: 1), LabelBudget.ByCount(multi, 30, seed: 2));
    }

    [Fact]
    public void MultiLabelBudgetShowsTheRareClassFirst()
    {
        var dataset = BudgetDatasets.MultiLabelWithRareClass();

        // A uniform draw of 10 of 200 items misses a class carried by 3 items most of the time.
        for (int seed = 0; seed < 20; seed++)
        {
            var chosen = LabelBudget.ByCount(dataset, 10, seed);

            Assert.Equal(10, chosen.Count);
            Assert.Contains(chosen, row => dataset.Items[row].Labels.Contains(2));
            Assert.All(chosen, row => Assert.True(dataset.Items[row] is { Split: Split.Train, HasLabels: true }));
        }
    }

    [Fact]
    public void MultiLabelBudgetKeepsCommonClassesNearTheirShare()
    {
        var dataset = BudgetDatasets.MultiLabelWithRareClass();

        var preview = LabelBudget.Preview(dataset, LabelBudget.ByRatio(dataset, 0.25, seed: 7));

        // Classes 0 and 1 are each carried by about two thirds of the 200 candidates.
        Assert.Equal(50, preview.Labeled);
        Assert.InRange(preview.Classes[0].Labeled, 25, 42);
        Assert.InRange(preview.Classes[1].Labeled, 25, 42);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.0001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void RatiosOutsideZeroToOneAreRefused(double ratio)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LabelBudget.ByRatio(Dataset, ratio, seed: 0));

        Assert.Equal("ratio", error.ParamName);
        Assert.Contains("greater than 0 and at most 1", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(101)]
    public void CountsOutsideOneToTheLabeledTrainItemsAreRefused(int count)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LabelBudget.ByCount(Dataset, count, seed: 0));

        Assert.Equal("count", error.ParamName);
        Assert.Contains("between 1 and 100", error.Message);
    }

    [Fact]
    public void PreviewOfADatasetWithManyClassesListsTheLargestAndSumsTheRest()
    {
        // 100 classes of 1..100 items each: the 25 largest are listed, the other 75 summed in one row.
        var sizes = Enumerable.Range(1, 100).ToArray();
        var dataset = BudgetDatasets.SingleLabel(sizes);
        var chosen = LabelBudget.ByRatio(dataset, 0.5, seed: 1);

        var preview = LabelBudget.Preview(dataset, chosen);

        Assert.Equal(SemiCmr.Ml.Analysis.ClassLimits.MaxShown, preview.Classes.Count);
        Assert.Equal(Enumerable.Range(75, 25), preview.Classes.Select(c => c.Class));
        Assert.Equal(75, preview.MoreClasses);
        Assert.Equal((SemiCmr.Ml.Analysis.ClassLimits.Other, "75 more classes"), (preview.Rest!.Class, preview.Rest.Name));
        Assert.Equal(sizes.Sum(), preview.Classes.Sum(c => c.Candidates) + preview.Rest.Candidates);
        Assert.Equal(preview.Labeled, preview.Classes.Sum(c => c.Labeled) + preview.Rest.Labeled);
    }

    [Fact]
    public void PreviewCountsTheShownItemsPerClass()
    {
        var chosen = LabelBudget.ByCount(Dataset, 20, seed: 9);

        var preview = LabelBudget.Preview(Dataset, chosen);

        Assert.Equal((20, 100), (preview.Labeled, preview.Candidates));
        Assert.Equal(["class0", "class1", "class2", "class3", "class4"], preview.Classes.Select(c => c.Name));
        Assert.Equal(ClassSizes, preview.Classes.Select(c => c.Candidates));
        Assert.Equal(
            Enumerable.Range(0, 5).Select(c => chosen.Count(row => Dataset.Items[row].Labels[0] == c)),
            preview.Classes.Select(c => c.Labeled));
    }

    [Fact]
    public void GeneratedBenchmarkBudgetAtTenPercentIsStratifiedOverTheTrainSplit()
    {
        var features = FeatureSamples.Generate(FeatureSampleSpec.SingleLabel);
        int train = features.IndicesOf(Split.Train).Length;

        var chosen = LabelBudget.ByRatio(features, 0.1, seed: 0);
        var preview = LabelBudget.Preview(features, chosen);

        Assert.Equal((int)Math.Round(0.1 * train), chosen.Count);
        Assert.All(chosen, row => Assert.Equal(Split.Train, features.Items[row].Split));
        Assert.All(preview.Classes, c => Assert.InRange(c.Labeled, 0.1 * c.Candidates - 1, 0.1 * c.Candidates + 1));
    }

    [Fact]
    public void WikiBudgetAtTenPercentIsStratifiedOverTheTrainSplit()
    {
        var wiki = FeatureDatasetReader.Read(ResearchData.Require("wiki-features"));

        var chosen = LabelBudget.ByRatio(wiki, 0.1, seed: 0);
        var preview = LabelBudget.Preview(wiki, chosen);

        Assert.Equal(217, chosen.Count);
        Assert.All(chosen, row => Assert.Equal(Split.Train, wiki.Items[row].Split));
        Assert.All(preview.Classes, c => Assert.InRange(c.Labeled, 217.0 * c.Candidates / 2173 - 1, 217.0 * c.Candidates / 2173 + 1));
    }
}
