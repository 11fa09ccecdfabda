namespace SemiCmr.Ml.Data;

/// <summary>A dense row-major float32 matrix: one row per item, one column per feature.</summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(float[] values, int rows, int columns)
    {
        if (rows < 0 || columns < 0 || (long)rows * columns != values.LongLength)
            throw new ArgumentException($"A {rows}x{columns} matrix needs {(long)rows * columns} values, got {values.LongLength}.");
        Values = values;
        Rows = rows;
        Columns = columns;
    }

    public float[] Values { get; }
    public int Rows { get; }
    public int Columns { get; }

    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Columns, Columns);

    /// <summary>A new matrix holding the given rows, in the given order.</summary>
    public FeatureMatrix SelectRows(IReadOnlyList<int> rows)
    {
        var values = new float[(long)rows.Count * Columns];
        for (int i = 0; i < rows.Count; i++)
            Row(rows[i]).CopyTo(values.AsSpan(i * Columns, Columns));
        return new FeatureMatrix(values, rows.Count, Columns);
    }
}
