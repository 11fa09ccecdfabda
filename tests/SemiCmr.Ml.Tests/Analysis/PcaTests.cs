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
    public void ComponentsAndVariancesOfSymmetricPointsAreTheKnownOnes()
    {
        // Points at +-4 u1, +-2 u2 and +-1 u3 around (1, 2, 3), with u1 = (0.6, 0.8, 0), u2 = (0.8, -0.6, 0),
        // u3 = (0, 0, 1): the covariance is (2 * 16 u1u1' + 2 * 4 u2u2' + 2 * 1 u3u3') / (6 - 1), so the
        // components are u1, u2, u3 (signed so the largest entry is positive) with variances 6.4, 1.6, 0.4.
        double[][] axes = [[0.6, 0.8, 0], [0.8, -0.6, 0], [0, 0, 1]];
        double[] lengths = [4, 2, 1], mean = [1, 2, 3];
        var values = axes.Zip(lengths).SelectMany(a => new[] { a.Second, -a.Second }
            .SelectMany(l => mean.Select((m, j) => (float)(m + l * a.First[j])))).ToArray();

        var model = Pca.Fit(new FeatureMatrix(values, 6, 3), components: 3);

        for (int c = 0; c < 3; c++)
            for (int j = 0; j < 3; j++) Assert.Equal(axes[c][j], model.Components[c][j], 6);
        Assert.Equal([6.4, 1.6, 0.4], model.Variances.Select(v => Math.Round(v, 5)));
        Assert.Equal(8.4, model.TotalVariance, 5);
        Assert.Equal(mean, model.Mean.Select(m => Math.Round(m, 6)));
        Assert.Equal([4, 0, 0], model.Project(new FeatureMatrix([3.4f, 5.2f, 3f], 1, 3))[0].Select(x => Math.Round(x, 5)));
    }

    [Fact]
    public void EveryComponentPointsTowardsItsLargestEntry()
    {
        // Eigenvectors have no sign of their own; without the rule about half of these would come out negative.
        var random = new Random(7);
        for (int trial = 0; trial < 8; trial++)
        {
            var values = Enumerable.Range(0, 40 * 5).Select(_ => (float)random.NextDouble()).ToArray();

            var model = Pca.Fit(new FeatureMatrix(values, 40, 5), components: 5);

            foreach (var component in model.Components)
                Assert.True(component.MaxBy(Math.Abs) > 0, $"trial {trial}: [{string.Join(", ", component)}]");
        }
    }

    [Fact]
    public void FewerRowsThanColumnsStillGiveAsManyOrthonormalComponentsAsAskedFor()
    {
        // Three points span a plane: two components carry all the variance, the others none.
        var values = new float[] { 1, 0, 2, 5, -1, 3, 1, 4, 0, 2, 0, 2, 2, 1, 7 };

        var model = Pca.Fit(new FeatureMatrix(values, 3, 5), components: 4);

        Assert.Equal(4, model.Components.Count);
        for (int a = 0; a < 4; a++)
            for (int b = a; b < 4; b++) Assert.Equal(a == b ? 1 : 0, Dot(model.Components[a], model.Components[b]), 9);
        Assert.Equal(model.TotalVariance, model.Variances[0] + model.Variances[1], 9);
        Assert.Equal([0, 0], model.Variances.Skip(2).Select(v => Math.Round(v, 9)));
    }

    [Fact]
    public void FittingOneRowIsRefused() =>
        Assert.Throws<ArgumentException>(() => Pca.Fit(new FeatureMatrix([1f, 2f], 1, 2)));

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
