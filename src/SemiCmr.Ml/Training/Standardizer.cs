using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Training;

/// <summary>
/// Per-feature z-scoring with statistics fitted on the training rows only, so that nothing about the
/// test items leaks into training. Constant features get a unit scale.
/// </summary>
public sealed record Standardizer(float[] Mean, float[] Scale)
{
    public static Standardizer Fit(FeatureMatrix features, IReadOnlyList<int> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("Cannot fit a standardizer on zero rows.", nameof(rows));
        int columns = features.Columns;
        var sum = new double[columns];
        var squares = new double[columns];
        foreach (int row in rows)
        {
            var values = features.Row(row);
            for (int c = 0; c < columns; c++)
            {
                sum[c] += values[c];
                squares[c] += (double)values[c] * values[c];
            }
        }
        var mean = new float[columns];
        var scale = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            double m = sum[c] / rows.Count;
            double variance = Math.Max(0, squares[c] / rows.Count - m * m);
            mean[c] = (float)m;
            scale[c] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return new Standardizer(mean, scale);
    }

    public FeatureMatrix Apply(FeatureMatrix features)
    {
        if (features.Columns != Mean.Length)
            throw new ArgumentException($"Expected {Mean.Length} feature columns, got {features.Columns}.");
        var values = new float[features.Values.Length];
        for (int r = 0; r < features.Rows; r++)
        {
            var source = features.Row(r);
            var target = values.AsSpan(r * features.Columns, features.Columns);
            for (int c = 0; c < target.Length; c++) target[c] = (source[c] - Mean[c]) / Scale[c];
        }
        return new FeatureMatrix(values, features.Rows, features.Columns);
    }
}
