using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Analysis;

public sealed class PcaTests
{
    // Points spread widely along (1, 1, 0)/sqrt2, less along (1, -1, 0)/sqrt2, and barely along z.
    private static FeatureMatrix Ellipsoid()
    {
        var values = new List<float>();
        for (int i = 0; i < 200; i++)
        {
            double a = 10 * Math.Sin(i * 0.37), b = 3 * Math.Cos(i * 1.13), c = 0.5 * Math.Sin(i * 2.71);
            values.AddRange([(float)((a + b) / Math.Sqrt(2) + 5), (float)((a - b) / Math.Sqrt(2) - 2), (float)(c + 1)]);
        }
        return new FeatureMatrix(values.ToArray(), 200, 3);
    }

    [Fact]
    public void FirstComponentFollowsTheDirectionOfLargestSpread()
    {
        var model = Pca.Fit(Ellipsoid());

        var first = model.Components[0];
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(first[0]), 2);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(first[1]), 2);
        Assert.Equal(0, first[2], 2);
        Assert.Equal(Math.Sign(first[0]), Math.Sign(first[1]));
    }

    [Fact]
    public void ComponentsAreUnitOrthogonalAndOrderedByVariance()
    {
        var model = Pca.Fit(Ellipsoid(), components: 3);

        for (int a = 0; a < 3; a++)
        {
            Assert.Equal(1, Dot(model.Components[a], model.Components[a]), 9);
            for (int b = a + 1; b < 3; b++) Assert.Equal(0, Dot(model.Components[a], model.Components[b]), 9);
        }
        Assert.True(model.Variances[0] > model.Variances[1]);
        Assert.True(model.Variances[1] > model.Variances[2]);
        Assert.Equal(model.TotalVariance, model.Variances.Sum(), 6);
    }

    [Fact]
    public void ProjectedCoordinatesAreCentredWithTheComponentVariances()
    {
        var data = Ellipsoid();
        var model = Pca.Fit(data);

        var points = model.Project(data);

        for (int c = 0; c < 2; c++)
        {
            var column = points.Select(p => p[c]).ToArray();
            double mean = column.Average();
            Assert.Equal(0, mean, 4);
            Assert.Equal(model.Variances[c], column.Sum(x => (x - mean) * (x - mean)) / (column.Length - 1), 3);
        }
    }

    [Fact]
    public void ExplainedRatioOfPlanarDataAddsUpToOneInTwoComponents()
    {
        var values = Enumerable.Range(0, 50).SelectMany(i => new[] { (float)i, (float)(i % 7), 0f, 0f }).ToArray();

        var model = Pca.Fit(new FeatureMatrix(values, 50, 4));

        Assert.Equal(1, model.ExplainedRatio.Sum(), 6);
        Assert.True(model.ExplainedRatio[0] > model.ExplainedRatio[1]);
    }

    [Fact]
    public void FittingTheSameDataTwiceGivesTheSameComponents()
    {
        var first = Pca.Fit(Ellipsoid());
        var second = Pca.Fit(Ellipsoid());

        Assert.Equal(first.Components[0], second.Components[0]);
        Assert.Equal(first.Components[1], second.Components[1]);
    }

    [Fact]
    public void FittingOneRowIsRefused() =>
        Assert.Throws<ArgumentException>(() => Pca.Fit(new FeatureMatrix([1f, 2f], 1, 2)));

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
