using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Tests.Components.Datasets;

namespace SemiCmr.Web.Tests.Datasets;

/// <summary>A dataset's summary is counted in SQL and agrees with counting the items one by one.</summary>
public sealed class DatasetStatsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SplitsLabeledSplitsAndClassCountsMatchTheItems(bool multiLabel)
    {
        var spec = (multiLabel ? FeatureSampleSpec.MultiLabelDefault : FeatureSampleSpec.SingleLabel) with { TrainItems = 300, TestItems = 100, UnlabeledShare = 0.5 };
        var source = FeatureSamples.Generate(spec);
        var (context, datasetId) = ComponentDb.WithDataset(source);
        await using var _ = context;

        var summary = await context.Services.GetRequiredService<DatasetStats>().Read(datasetId, source.ClassCount, TestContext.Current.CancellationToken);

        Assert.Equal((300, 0, 100), (summary.Splits.Train, summary.Splits.Val, summary.Splits.Test));
        Assert.Equal(source.Items.Where(i => i.Labels.Count > 0).Select(i => i.Split).Distinct().Order(), summary.LabeledSplits);
        Assert.Equal(Enumerable.Range(0, source.ClassCount).Select(c => source.Items.Count(i => i.Labels.Contains(c))), summary.ClassCounts);
        Assert.False(summary.HasImages);
    }
}
