using SemiCmr.Ml.Data;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Training;

public sealed class StandardizerTests
{
    [Fact]
    public void StatisticsComeFromTheTrainingRowsOnly()
    {
        var features = new FeatureMatrix([1, 10, 3, 10, 1000, -7], 3, 2);
        var standardizer = Standardizer.Fit(features, [0, 1]);

        Assert.Equal([2f, 10f], standardizer.Mean);
        Assert.Equal([1f, 1f], standardizer.Scale); // the constant column keeps a unit scale
        Assert.Equal([-1f, 0f, 1f, 0f, 998f, -17f], standardizer.Apply(features).Values);
    }

    [Fact]
    public void FeaturesOfAnotherWidthAreRefused()
    {
        var standardizer = Standardizer.Fit(new FeatureMatrix([1, 2], 1, 2), [0]);
        Assert.Throws<ArgumentException>(() => standardizer.Apply(new FeatureMatrix([1, 2, 3], 1, 3)));
    }
}
