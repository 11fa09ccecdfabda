using System.Text.Json;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Training.Cca;

namespace SemiCmr.Ml.Tests.Cca;

public sealed class CcaModelTests
{
    [Fact]
    public void CcaRecoversAFactorSharedByBothModalities()
    {
        var (trainImages, trainTexts) = PlantedPairs(seed: 1, pairs: 2000);
        var (testImages, testTexts) = PlantedPairs(seed: 2, pairs: 500);

        var model = CcaModel.Fit(trainImages, trainTexts, dimensions: 3, regularization: 1e-6);
        var images = model.ProjectImages(testImages);
        var texts = model.ProjectTexts(testTexts);

        Assert.True(model.Correlations[0] > 0.99, $"first canonical correlation {model.Correlations[0]:F4}");
        Assert.True(model.Correlations[1] < 0.2, $"second canonical correlation {model.Correlations[1]:F4}");
        var first = (Column(images, 0), Column(texts, 0));
        Assert.True(Correlation(first.Item1, first.Item2) > 0.99);
        // Canonical variates have unit variance, so paired items sit within a small distance of each other.
        double meanGap = first.Item1.Zip(first.Item2, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanGap < 0.15, $"mean gap between paired projections {meanGap:F3}");
    }

    [Fact]
    public void DimensionsAreCappedAtTheSmallerFeatureDimension()
    {
        var (images, texts) = PlantedPairs(seed: 3, pairs: 200);

        var model = CcaModel.Fit(images, texts, dimensions: 50, regularization: 1e-3);

        Assert.Equal(4, model.Dimensions);
        Assert.Equal(4, model.ProjectImages(images).Columns);
        Assert.Equal(4, model.ProjectTexts(texts).Columns);
    }

    [Fact]
    public void EachCanonicalPairIsSignedSoItsLargestImageWeightIsPositive()
    {
        var (images, texts) = PlantedPairs(seed: 5, pairs: 300);

        var model = CcaModel.Fit(images, texts, dimensions: 4, regularization: 1e-3);

        var state = model.State;
        var projectedImages = model.ProjectImages(images);
        var projectedTexts = model.ProjectTexts(texts);
        for (int j = 0; j < state.Dimensions; j++)
        {
            var weights = Enumerable.Range(0, state.ImageDimension).Select(r => state.ImageProjection[r * state.Dimensions + j]);
            Assert.True(weights.MaxBy(Math.Abs) > 0, $"direction {j}");
            // The text direction is flipped with it, so paired training items stay positively correlated.
            Assert.True(Correlation(Column(projectedImages, j), Column(projectedTexts, j)) > 0, $"direction {j}");
        }
    }

    [Fact]
    public void AModelRestoredFromItsStateProjectsExactlyTheSame()
    {
        var (images, texts) = PlantedPairs(seed: 4, pairs: 300);
        var model = CcaModel.Fit(images, texts, dimensions: 2, regularization: 1e-3);

        var restored = CcaModel.FromState(model.State with
        {
            ImageMean = [.. model.State.ImageMean],
            TextMean = [.. model.State.TextMean],
            ImageProjection = [.. model.State.ImageProjection],
            TextProjection = [.. model.State.TextProjection],
        });

        Assert.Equal(model.ProjectImages(images).Values, restored.ProjectImages(images).Values);
        Assert.Equal(model.ProjectTexts(texts).Values, restored.ProjectTexts(texts).Values);
    }

    [Fact]
    public void StateSurvivesAJsonRoundTripBitForBit()
    {
        var (images, texts) = PlantedPairs(seed: 7, pairs: 300);
        var model = CcaModel.Fit(images, texts, dimensions: 3, regularization: 1e-3);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var state = JsonSerializer.Deserialize<CcaState>(JsonSerializer.Serialize(model.State, json), json)!;
        var restored = CcaModel.FromState(state);

        Assert.Equal(model.ProjectImages(images).Values, restored.ProjectImages(images).Values);
        Assert.Equal(model.Correlations, restored.Correlations);
    }

    [Fact]
    public void FittingTwiceGivesTheSameProjections()
    {
        var (images, texts) = PlantedPairs(seed: 5, pairs: 300);

        var first = CcaModel.Fit(images, texts, dimensions: 3, regularization: 1e-3);
        var second = CcaModel.Fit(images, texts, dimensions: 3, regularization: 1e-3);

        Assert.Equal(first.State.ImageProjection, second.State.ImageProjection);
        Assert.Equal(first.State.TextProjection, second.State.TextProjection);
    }

    [Fact]
    public void AStateThatDoesNotFitItsDimensionsIsRefused()
    {
        var state = new CcaState(3, 2, 1, 0, [0f, 0f, 0f], [0f, 0f], [1f, 0f], [1f, 0f], [0.5]);
        Assert.Throws<InvalidDataException>(() => CcaModel.FromState(state));
    }

    [Fact]
    public void ProjectingFeaturesOfTheWrongWidthIsRefused()
    {
        var (images, texts) = PlantedPairs(seed: 6, pairs: 100);
        var model = CcaModel.Fit(images, texts, dimensions: 2, regularization: 1e-3);

        Assert.Throws<ArgumentException>(() => model.ProjectImages(texts));
    }

    [Fact]
    public void CcaOnWikiFeaturesLandsNearThePublishedFigure()
    {
        // Published CCA on these features (Rasiwasia et al. 2010, official split, cosine / normalised
        // correlation): about 0.25 image->text and 0.19-0.21 text->image. Measured here: 0.242 / 0.196.
        var wiki = WikiFeatures.Load().Standardised();
        var (trainImages, trainTexts, _) = wiki.Split(train: true);
        var (testImages, testTexts, testLabels) = wiki.Split(train: false);

        var model = CcaModel.Fit(trainImages, trainTexts, dimensions: 10, regularization: 1e-3);
        var report = CrossModalEvaluator.Evaluate(model.ProjectImages(testImages), model.ProjectTexts(testTexts), testLabels);

        Assert.Equal(693, report.ImageToText.Queries);
        Assert.InRange(report.ImageToText.MapAll, 0.23, 0.27);
        Assert.InRange(report.TextToImage.MapAll, 0.18, 0.22);
    }

    /// <summary>
    /// Images (5-d) and texts (4-d) that share one latent factor z, hidden among independent noise
    /// dimensions and mixed by a random linear map, with different offsets per modality.
    /// </summary>
    private static (FeatureMatrix Images, FeatureMatrix Texts) PlantedPairs(int seed, int pairs)
    {
        var random = new Random(seed);
        var mixing = new Random(42); // the same maps for train and test
        var imageMap = RandomMap(mixing, 5);
        var textMap = RandomMap(mixing, 4);
        var images = new float[pairs * 5];
        var texts = new float[pairs * 4];
        for (int i = 0; i < pairs; i++)
        {
            double z = Gaussian(random);
            var imageLatent = new[] { z + 0.05 * Gaussian(random) }.Concat(Enumerable.Range(0, 4).Select(_ => Gaussian(random))).ToArray();
            var textLatent = new[] { -2 * z + 0.1 * Gaussian(random) }.Concat(Enumerable.Range(0, 3).Select(_ => 3 * Gaussian(random))).ToArray();
            Mix(imageMap, imageLatent, images.AsSpan(i * 5, 5), offset: 10);
            Mix(textMap, textLatent, texts.AsSpan(i * 4, 4), offset: -3);
        }
        return (new FeatureMatrix(images, pairs, 5), new FeatureMatrix(texts, pairs, 4));
    }

    private static double[,] RandomMap(Random random, int size)
    {
        var map = new double[size, size];
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++) map[r, c] = (r == c ? 2 : 0) + random.NextDouble() - 0.5;
        return map;
    }

    private static void Mix(double[,] map, double[] latent, Span<float> output, double offset)
    {
        for (int r = 0; r < output.Length; r++)
        {
            double sum = offset;
            for (int c = 0; c < latent.Length; c++) sum += map[r, c] * latent[c];
            output[r] = (float)sum;
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double[] Column(FeatureMatrix matrix, int column) =>
        Enumerable.Range(0, matrix.Rows).Select(r => (double)matrix.Row(r)[column]).ToArray();

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }
}
