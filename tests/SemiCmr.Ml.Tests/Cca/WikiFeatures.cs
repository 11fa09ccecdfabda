using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Cca;

/// <summary>wiki-features read through the product's reader, with the split as a train flag per row.</summary>
internal sealed record WikiFeatures(FeatureMatrix Images, FeatureMatrix Texts, IReadOnlyList<IReadOnlyList<int>> Labels, bool[] IsTrain)
{
    public static WikiFeatures Load()
    {
        var dataset = FeatureDatasetReader.Read(TestPaths.SharedData("wiki-features"));
        return new WikiFeatures(
            dataset.ImageFeatures,
            dataset.TextFeatures,
            dataset.Items.Select(item => item.Labels).ToArray(),
            dataset.Items.Select(item => item.Split == Ml.Data.Split.Train).ToArray());
    }

    public (FeatureMatrix Images, FeatureMatrix Texts, IReadOnlyList<IReadOnlyList<int>> Labels) Split(bool train)
    {
        var rows = Enumerable.Range(0, IsTrain.Length).Where(i => IsTrain[i] == train).ToArray();
        return (Images.SelectRows(rows), Texts.SelectRows(rows), rows.Select(i => Labels[i]).ToArray());
    }

    /// <summary>Z-scores every column with the mean and standard deviation of the training rows.</summary>
    public WikiFeatures Standardised() => this with { Images = ZScore(Images, IsTrain), Texts = ZScore(Texts, IsTrain) };

    private static FeatureMatrix ZScore(FeatureMatrix matrix, bool[] isTrain)
    {
        var values = (float[])matrix.Values.Clone();
        int trainRows = isTrain.Count(t => t);
        for (int c = 0; c < matrix.Columns; c++)
        {
            double sum = 0, squares = 0;
            for (int r = 0; r < matrix.Rows; r++)
            {
                if (!isTrain[r]) continue;
                double v = values[r * matrix.Columns + c];
                sum += v; squares += v * v;
            }
            double mean = sum / trainRows;
            double std = Math.Sqrt(Math.Max(squares / trainRows - mean * mean, 0));
            if (std == 0) std = 1;
            for (int r = 0; r < matrix.Rows; r++)
                values[r * matrix.Columns + c] = (float)((values[r * matrix.Columns + c] - mean) / std);
        }
        return new FeatureMatrix(values, matrix.Rows, matrix.Columns);
    }
}
