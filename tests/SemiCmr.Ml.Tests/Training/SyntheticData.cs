using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Training;

/// <summary>
/// In-memory datasets whose two modalities are noisy views of a class centre, so that a working
/// method learns them in a few epochs and a broken one does not.
/// </summary>
internal static class SyntheticData
{
    public static FeatureDataset Clusters(int classes = 4, int trainPerClass = 40, int testPerClass = 10,
        int imageDim = 12, int textDim = 8, bool multiLabel = false, int seed = 3, double noise = 1.0, int unlabeledEvery = 0)
    {
        var random = new Random(seed);
        var imageCentres = Enumerable.Range(0, classes).Select(_ => Gaussian(random, imageDim, 2.5)).ToArray();
        var textCentres = Enumerable.Range(0, classes).Select(_ => Gaussian(random, textDim, 2.5)).ToArray();
        var items = new List<DatasetItem>();
        var image = new List<float>();
        var text = new List<float>();
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < trainPerClass + testPerClass; i++)
            {
                var labels = multiLabel && i % 3 == 0 ? new[] { c, (c + 1) % classes }.Order().ToArray() : new[] { c };
                // Every n-th item hides its labels from the dataset, in both splits; its features keep the class.
                IReadOnlyList<int> shown = unlabeledEvery > 0 && i % unlabeledEvery == 1 ? [] : labels;
                items.Add(new DatasetItem($"c{c}-{i}", i < trainPerClass ? Split.Train : Split.Test, shown));
                image.AddRange(Mix(imageCentres, labels, Gaussian(random, imageDim, noise)));
                text.AddRange(Mix(textCentres, labels, Gaussian(random, textDim, noise)));
            }
        }
        var names = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray();
        return new FeatureDataset(items, names,
            new FeatureMatrix(image.ToArray(), items.Count, imageDim),
            new FeatureMatrix(text.ToArray(), items.Count, textDim));
    }

    /// <summary>Every n-th training row of each class, as a label budget.</summary>
    public static int[] EveryNthTrainRow(FeatureDataset dataset, int n) =>
        dataset.IndicesOf(Split.Train).Where(r => dataset.Items[r].HasLabels).Where((_, i) => i % n == 0).ToArray();

    private static IEnumerable<float> Mix(float[][] centres, int[] labels, float[] noise) =>
        noise.Select((value, d) => value + labels.Average(l => centres[l][d]));

    private static float[] Gaussian(Random random, int length, double scale) =>
        Enumerable.Range(0, length).Select(_ =>
            (float)(scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
}
