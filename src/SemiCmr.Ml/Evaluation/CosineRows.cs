using System.Numerics;
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

    /// <summary>Rows scored together by <see cref="ScoreBlock"/>: each database row is loaded once per block.</summary>
    public const int BlockSize = 4;

    /// <summary>
    /// Cosine of <see cref="BlockSize"/> query rows (first, first + 1, ...; missing rows past the end
    /// repeat the last one) against every row of this matrix, into scores[0..3].
    /// </summary>
    public void ScoreBlock(CosineRows queries, int first, float[][] scores)
    {
        int last = queries.Rows - 1;
        var q0 = queries.Row(first);
        var q1 = queries.Row(Math.Min(first + 1, last));
        var q2 = queries.Row(Math.Min(first + 2, last));
        var q3 = queries.Row(Math.Min(first + 3, last));
        int width = Vector<float>.Count, vectorEnd = Columns - Columns % width;
        for (int j = 0; j < Rows; j++)
        {
            var row = Row(j);
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int i = 0; i < vectorEnd; i += width)
            {
                var v = new Vector<float>(row.Slice(i, width));
                s0 = Vector.FusedMultiplyAdd(new Vector<float>(q0.Slice(i, width)), v, s0);
                s1 = Vector.FusedMultiplyAdd(new Vector<float>(q1.Slice(i, width)), v, s1);
                s2 = Vector.FusedMultiplyAdd(new Vector<float>(q2.Slice(i, width)), v, s2);
                s3 = Vector.FusedMultiplyAdd(new Vector<float>(q3.Slice(i, width)), v, s3);
            }
            float t0 = Vector.Sum(s0), t1 = Vector.Sum(s1), t2 = Vector.Sum(s2), t3 = Vector.Sum(s3);
            for (int i = vectorEnd; i < Columns; i++)
            {
                t0 += q0[i] * row[i]; t1 += q1[i] * row[i]; t2 += q2[i] * row[i]; t3 += q3[i] * row[i];
            }
            scores[0][j] = t0; scores[1][j] = t1; scores[2][j] = t2; scores[3][j] = t3;
        }
    }
}
