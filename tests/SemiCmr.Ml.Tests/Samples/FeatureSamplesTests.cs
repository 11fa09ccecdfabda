using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Training;
using static SemiCmr.Ml.Tests.Samples.GeneratedRuns;

namespace SemiCmr.Ml.Tests.Samples;

/// <summary>
/// The generated samples stand in for the research data: they must be reproducible, readable as a dataset
/// folder, and show the method's relations with its default options as the Wikipedia features do. Margins
/// measured over generator seeds 1-3 are quoted at each bar (and in the commit that added these tests); the bars sit well below them.
/// </summary>
public sealed class FeatureSamplesTests
{
    private static readonly FeatureSampleSpec Small = new(Classes: 5, TrainItems: 60, TestItems: 20, ImageDim: 16, TextDim: 6);

    [Fact]
    public void GeneratedFeaturesAreDeterministicFromTheSeed()
    {
        var spec = FeatureSampleSpec.MultiLabelDefault with { TrainItems = 200, TestItems = 50 };

        var first = FeatureSamples.Generate(spec);
        var again = FeatureSamples.Generate(spec);
        var other = FeatureSamples.Generate(spec with { Seed = 2 });

        Assert.Equal(first.ImageFeatures.Values, again.ImageFeatures.Values);
        Assert.Equal(first.TextFeatures.Values, again.TextFeatures.Values);
        Assert.Equal(first.Items, again.Items, (a, b) => a.Id == b.Id && a.Split == b.Split && a.Labels.SequenceEqual(b.Labels));
        Assert.NotEqual(first.ImageFeatures.Values, other.ImageFeatures.Values);
        Assert.NotEqual(first.TextFeatures.Values, other.TextFeatures.Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WrittenSamplesReadBackThroughTheDatasetReader(bool multiLabel)
    {
        var spec = (multiLabel ? FeatureSampleSpec.MultiLabelDefault : FeatureSampleSpec.SingleLabel) with { TrainItems = 300, TestItems = 100 };
        var generated = FeatureSamples.Generate(spec);

        var folder = FeatureSamples.Write(Path.Combine(TestPaths.NewTempFolder(), "samples"), spec);
        var read = FeatureDatasetReader.Read(folder);

        Assert.Equal(300, read.IndicesOf(Split.Train).Length);
        Assert.Equal(100, read.IndicesOf(Split.Test).Length);
        Assert.Equal(spec.Classes, read.ClassCount);
        Assert.Equal(generated.ClassNames, read.ClassNames);
        Assert.Equal((spec.ImageDim, spec.TextDim), (read.ImageFeatures.Columns, read.TextFeatures.Columns));
        Assert.Equal(multiLabel, read.IsMultiLabel);
        Assert.Equal(multiLabel ? 20 : 0, read.Items.Count(item => !item.HasLabels)); // 5% of 300 + 5% of 100
        Assert.Equal(generated.Items.Select(i => i.Labels), read.Items.Select(i => i.Labels));
        Assert.Equal(generated.ImageFeatures.Values, read.ImageFeatures.Values);
        Assert.Equal(generated.TextFeatures.Values, read.TextFeatures.Values);
    }

    [Fact]
    public void MultiLabelItemsCarryOneToThreeLabelsAndTheUnlabeledShareCarriesNone()
    {
        var dataset = FeatureSamples.Generate(FeatureSampleSpec.MultiLabelDefault);

        var labeled = dataset.Items.Where(item => item.HasLabels).ToList();
        Assert.All(labeled, item => Assert.InRange(item.Labels.Count, 1, 3));
        Assert.Contains(labeled, item => item.Labels.Count == 3);
        Assert.Equal(50, dataset.Items.Count - labeled.Count); // 5% of 800 train + 5% of 200 test
        Assert.All(Enumerable.Range(0, dataset.ClassCount), c => Assert.Contains(labeled, item => item.Labels.Contains(c)));
    }

    [Theory]
    [InlineData("Classes", 1, 60, 20, 0.0)]
    [InlineData("TrainItems", 5, 0, 20, 0.0)]
    [InlineData("TrainItems", 5, 4, 20, 0.0)]
    [InlineData("TestItems", 5, 60, 0, 0.0)]
    [InlineData("UnlabeledShare", 5, 60, 20, 1.0)]
    [InlineData("UnlabeledShare", 5, 60, 20, -0.1)]
    public void ASpecThatMakesNoSampleIsRefusedNamingTheField(string field, int classes, int train, int test, double unlabeled)
    {
        var spec = Small with { Classes = classes, TrainItems = train, TestItems = test, UnlabeledShare = unlabeled };

        var error = Assert.Throws<ArgumentException>(() => FeatureSamples.Generate(spec));

        Assert.Equal(field, error.ParamName);
        Assert.StartsWith(field, error.Message);
    }

    [Fact]
    public void SemiSupervisedBeatsSupervisedOnTenPercentOfGeneratedLabels()
    {
        var runs = SingleLabel;
        // Measured margins in mean MAP over generator seeds 1-3: 0.08-0.10 (the issue asks for more than 0.02).
        Assert.True(Mean(runs[Method.Sscmr]) > Mean(runs[Method.Supervised]) + 0.04, Describe(runs));
        Assert.InRange(runs[Method.Sscmr].Stage1Accuracy!.Value, 0.45, 0.95);
    }

    [Fact]
    public void FullSupervisionIsTheCeilingOnGeneratedFeatures()
    {
        var runs = SingleLabel;
        // Measured over generator seeds 1-3: full above sscmr by 0.06-0.09, above supervised by 0.16-0.17, at 0.48-0.55.
        Assert.True(Mean(runs[Method.Full]) >= Mean(runs[Method.Sscmr]) - 0.01, Describe(runs));
        Assert.True(Mean(runs[Method.Full]) > Mean(runs[Method.Supervised]) + 0.05, Describe(runs));
        // Non-trivial levels, so differences between methods can show at all.
        Assert.InRange(Mean(runs[Method.Full]), 0.35, 0.8);
    }

    [Fact]
    public void CcaStaysBelowTheLearnedMethodsOnGeneratedFeatures()
    {
        var runs = SingleLabel;
        // Measured over generator seeds 1-3: cca 0.25-0.28, 0.14-0.20 below sscmr. By design: CCA follows correlation,
        // and the generator's shared nuisance factors correlate the modalities without carrying class.
        Assert.True(Mean(runs[Method.Cca]) < Mean(runs[Method.Sscmr]) - 0.05, Describe(runs));
        Assert.True(Mean(runs[Method.Cca]) < Mean(runs[Method.Full]) - 0.05, Describe(runs));
        Assert.True(Mean(runs[Method.Cca]) > 0.15, Describe(runs)); // well above chance (0.1 on ten balanced classes)
    }

    [Fact]
    public void SemiSupervisedBeatsSupervisedOnGeneratedMultiLabelFeatures()
    {
        var runs = MultiLabel;
        // Measured margins over generator seeds 1-3: 0.051-0.064.
        Assert.True(Mean(runs[Method.Sscmr]) > Mean(runs[Method.Supervised]) + 0.02, Describe(runs));
        Assert.InRange(runs[Method.Sscmr].Stage1Accuracy!.Value, 0.3, 0.9); // example-based F1 for multi-label
    }
}
