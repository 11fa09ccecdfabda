using SemiCmr.Ml.Data;
using SemiCmr.Ml.Torch;
using TorchSharp;

namespace SemiCmr.Ml.Analysis;

/// <summary>
/// Principal components of a fitted matrix: unit, mutually orthogonal directions in decreasing order of the
/// variance they explain, with that variance (sample variance, n - 1) and the column means they are centred on.
/// </summary>
public sealed record PcaModel(double[] Mean, IReadOnlyList<double[]> Components, double[] Variances, double TotalVariance)
{
    /// <summary>Coordinates of every row of <paramref name="data"/> along the components.</summary>
    public double[][] Project(FeatureMatrix data)
    {
        if (data.Columns != Mean.Length)
            throw new ArgumentException($"The model was fitted on {Mean.Length} columns, got {data.Columns}.", nameof(data));
        var projected = new double[data.Rows][];
        for (int row = 0; row < data.Rows; row++)
        {
            var values = data.Row(row);
            projected[row] = new double[Components.Count];
            for (int c = 0; c < Components.Count; c++)
            {
                double sum = 0;
                for (int j = 0; j < values.Length; j++) sum += (values[j] - Mean[j]) * Components[c][j];
                projected[row][c] = sum;
            }
        }
        return projected;
    }

    /// <summary>Share of the total variance each component explains (0 when the data has none).</summary>
    public double[] ExplainedRatio => Variances.Select(v => TotalVariance > 0 ? v / TotalVariance : 0).ToArray();
}

/// <summary>
/// PCA by libtorch's symmetric eigensolver (<c>torch.linalg.eigh</c>) on the float64 sample covariance.
/// eigh rather than an SVD of the centred rows: it always yields a full orthonormal basis of the columns (a
/// reduced SVD of fewer rows than columns has fewer right singular vectors than the components asked for),
/// and forming the covariance in float64 loses nothing the float32 input has (squaring the condition number
/// costs 1e-16 relative to the largest variance, far below the input's 6e-8 rounding). Deterministic: each
/// component's sign is chosen so that its largest-magnitude entry is positive (first such entry on a tie).
/// Meant for common-space embeddings (tens to a few hundred columns), not for huge feature matrices.
/// </summary>
public static class Pca
{
    public static PcaModel Fit(FeatureMatrix data, int components = 2)
    {
        int n = data.Rows, d = data.Columns;
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        if (n < 2) throw new ArgumentException("PCA needs at least two rows.", nameof(data));
        components = Math.Min(components, d);

        using var scope = torch.NewDisposeScope();
        var values = torch.tensor(data.Values, [n, d]).to(torch.float64);
        var covariance = torch.cov(values.T);
        // eigh returns ascending eigenvalues; the model lists the largest first.
        var (ascending, eigenvectors) = torch.linalg.eigh(covariance);
        var vectors = eigenvectors.flip(1)[.., ..components].contiguous();
        ColumnSigns.MakeLargestEntriesPositive(vectors);

        var columns = vectors.T.contiguous().data<double>().ToArray();
        var variances = ascending.flip(0)[..components].contiguous().data<double>().ToArray();
        return new PcaModel(
            values.mean([0]).data<double>().ToArray(),
            Enumerable.Range(0, components).Select(c => columns.AsSpan(c * d, d).ToArray()).ToArray(),
            // Where the variance is 0 (rank-deficient data) eigh can return a rounding error just below 0.
            variances.Select(v => Math.Max(0, v)).ToArray(),
            covariance.trace().item<double>());
    }
}
