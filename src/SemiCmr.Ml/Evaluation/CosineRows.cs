using System.Numerics;
using System.Runtime.InteropServices;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Evaluation;

/// <summary>
/// A copy of a matrix with every row scaled to unit length, so a dot product is the cosine similarity.
/// A zero row stays zero and therefore scores 0 against everything.
/// </summary>
internal sealed class CosineRows
{
    private readonly float[] _values;

    public CosineRows(FeatureMatrix matrix)
    {
        Rows = matrix.Rows;
        Columns = matrix.Columns;
        _values = (float[])matrix.Values.Clone();
        for (int i = 0; i < Rows; i++)
        {
            var row = _values.AsSpan(i * Columns, Columns);
            double squares = 0;
            foreach (var value in row) squares += (double)value * value;
            double norm = Math.Sqrt(squares);
            if (norm == 0 || !double.IsFinite(norm)) continue;
            float inverse = (float)(1 / norm);
            for (int j = 0; j < row.Length; j++) row[j] *= inverse;
        }
    }

    public int Rows { get; }
    public int Columns { get; }

    public ReadOnlySpan<float> Row(int row) => _values.AsSpan(row * Columns, Columns);

    /// <summary>
    /// Database rows a query chunk scores before moving on: 128 rows of 128 floats (64 KB) stay in cache while
    /// every query of the chunk reads them, so the database streams from memory once per chunk, not per query.
    /// </summary>
    private const int TileRows = 128;

    /// <summary>
    /// Cosine of each query row in <paramref name="queryRows"/> against every row of this matrix:
    /// scores[i][j] for query queryRows[i] and database row j. scores needs a row for every query rounded up
    /// to a multiple of 4 (the rows past the chunk are scratch). Each score is summed in the same order
    /// whatever the chunk, so chunking never changes a ranking.
    /// </summary>
    public void ScoreChunk(CosineRows queries, ReadOnlySpan<int> queryRows, float[][] scores)
    {
        int last = queryRows.Length - 1;
        for (int start = 0; start < Rows; start += TileRows)
        {
            int end = Math.Min(start + TileRows, Rows);
            for (int first = 0; first <= last; first += 4)
            {
                // Missing queries past the end repeat the last one; their scores land in scratch rows.
                ScoreTile(start, end,
                    queries.Row(queryRows[first]), queries.Row(queryRows[Math.Min(first + 1, last)]),
                    queries.Row(queryRows[Math.Min(first + 2, last)]), queries.Row(queryRows[Math.Min(first + 3, last)]),
                    scores[first], scores[first + 1], scores[first + 2], scores[first + 3]);
            }
        }
    }

    private void ScoreTile(int start, int end, ReadOnlySpan<float> q0, ReadOnlySpan<float> q1, ReadOnlySpan<float> q2,
        ReadOnlySpan<float> q3, float[] out0, float[] out1, float[] out2, float[] out3)
    {
        ref float a = ref MemoryMarshal.GetReference(q0), b = ref MemoryMarshal.GetReference(q1);
        ref float c = ref MemoryMarshal.GetReference(q2), d = ref MemoryMarshal.GetReference(q3);
        int j = start;
        // Two database rows at a time share each query load; every score still sums in the same order.
        for (; j + 1 < end; j += 2)
        {
            ref float x = ref _values[j * Columns];
            ref float y = ref _values[(j + 1) * Columns];
            Vector<float> x0 = default, x1 = default, x2 = default, x3 = default;
            Vector<float> y0 = default, y1 = default, y2 = default, y3 = default;
            nuint vectorEnd = (nuint)(Columns - Columns % Vector<float>.Count);
            for (nuint i = 0; i < vectorEnd; i += (nuint)Vector<float>.Count)
            {
                var u = Vector.LoadUnsafe(ref x, i);
                var v = Vector.LoadUnsafe(ref y, i);
                var qa = Vector.LoadUnsafe(ref a, i);
                x0 = Vector.FusedMultiplyAdd(qa, u, x0); y0 = Vector.FusedMultiplyAdd(qa, v, y0);
                var qb = Vector.LoadUnsafe(ref b, i);
                x1 = Vector.FusedMultiplyAdd(qb, u, x1); y1 = Vector.FusedMultiplyAdd(qb, v, y1);
                var qc = Vector.LoadUnsafe(ref c, i);
                x2 = Vector.FusedMultiplyAdd(qc, u, x2); y2 = Vector.FusedMultiplyAdd(qc, v, y2);
                var qd = Vector.LoadUnsafe(ref d, i);
                x3 = Vector.FusedMultiplyAdd(qd, u, x3); y3 = Vector.FusedMultiplyAdd(qd, v, y3);
            }
            out0[j] = Finish(x0, q0, Row(j)); out1[j] = Finish(x1, q1, Row(j));
            out2[j] = Finish(x2, q2, Row(j)); out3[j] = Finish(x3, q3, Row(j));
            out0[j + 1] = Finish(y0, q0, Row(j + 1)); out1[j + 1] = Finish(y1, q1, Row(j + 1));
            out2[j + 1] = Finish(y2, q2, Row(j + 1)); out3[j + 1] = Finish(y3, q3, Row(j + 1));
        }
        if (j < end)
        {
            var row = Row(j);
            out0[j] = Dot(q0, row); out1[j] = Dot(q1, row); out2[j] = Dot(q2, row); out3[j] = Dot(q3, row);
        }
    }

    /// <summary>One score the way <see cref="ScoreTile"/> sums it: vector lanes first, then the columns past the last full vector.</summary>
    private float Dot(ReadOnlySpan<float> query, ReadOnlySpan<float> row)
    {
        int width = Vector<float>.Count, vectorEnd = Columns - Columns % width;
        Vector<float> sum = default;
        for (int i = 0; i < vectorEnd; i += width)
            sum = Vector.FusedMultiplyAdd(new Vector<float>(query.Slice(i, width)), new Vector<float>(row.Slice(i, width)), sum);
        return Finish(sum, query, row);
    }

    private float Finish(Vector<float> lanes, ReadOnlySpan<float> query, ReadOnlySpan<float> row)
    {
        float total = Vector.Sum(lanes);
        for (int i = Columns - Columns % Vector<float>.Count; i < Columns; i++) total += query[i] * row[i];
        return total;
    }
}
