using System.Text;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Cca;

/// <summary>
/// A minimal reader for ../shared/data/wiki-features (numpy v1 headers, '&lt;f4', either order), kept
/// inside the tests so they do not depend on the product's reader. Labels are class names mapped to
/// indices in order of first appearance.
/// </summary>
internal sealed record WikiFeatures(FeatureMatrix Images, FeatureMatrix Texts, IReadOnlyList<IReadOnlyList<int>> Labels, bool[] IsTrain)
{
    public static WikiFeatures Load()
    {
        var folder = TestPaths.SharedData("wiki-features");
        var classes = new Dictionary<string, int>();
        var rows = File.ReadLines(Path.Combine(folder, "items.csv")).Skip(1).Select(line => line.Split(',')).ToArray();
        var labels = rows.Select(cells => (IReadOnlyList<int>)cells[2].Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => classes.TryGetValue(name, out var index) ? index : classes[name] = classes.Count).ToArray()).ToArray();
        return new WikiFeatures(
            ReadNpy(Path.Combine(folder, "image_features.npy")),
            ReadNpy(Path.Combine(folder, "text_features.npy")),
            labels,
            rows.Select(cells => cells[1] == "train").ToArray());
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

    private static FeatureMatrix ReadNpy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        if (!header.Contains("'<f4'")) throw new InvalidDataException($"{path}: expected '<f4', header {header}");
        bool fortran = header.Contains("'fortran_order': True");
        var shape = header[(header.IndexOf('(') + 1)..header.IndexOf(')')]
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        int rows = shape[0], columns = shape[1];
        var raw = new float[rows * columns];
        Buffer.BlockCopy(bytes, 10 + headerLength, raw, 0, raw.Length * sizeof(float));
        if (!fortran) return new FeatureMatrix(raw, rows, columns);
        var values = new float[raw.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) values[r * columns + c] = raw[c * rows + r];
        return new FeatureMatrix(values, rows, columns);
    }
}
