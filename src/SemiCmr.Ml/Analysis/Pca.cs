using SemiCmr.Ml.Data;

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
/// PCA by orthogonal (subspace) iteration on the covariance matrix, in float64. Deterministic: the start
/// basis is fixed, and each component's sign is chosen so that its largest-magnitude entry is positive.
/// Meant for common-space embeddings (tens to a few hundred columns), not for huge feature matrices.
/// </summary>
public static class Pca
{
    private const int MaxIterations = 1000;
    private const double Tolerance = 1e-12;

    public static PcaModel Fit(FeatureMatrix data, int components = 2)
    {
        int n = data.Rows, d = data.Columns;
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        if (n < 2) throw new ArgumentException("PCA needs at least two rows.", nameof(data));
        components = Math.Min(components, d);

        var mean = new double[d];
        for (int row = 0; row < n; row++)
        {
            var values = data.Row(row);
            for (int j = 0; j < d; j++) mean[j] += values[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;

        var covariance = Covariance(data, mean);
        double total = Enumerable.Range(0, d).Sum(j => covariance[j, j]);
        var (vectors, variances) = TopEigenpairs(covariance, components);
        return new PcaModel(mean, vectors, variances, total);
    }

    private static double[,] Covariance(FeatureMatrix data, double[] mean)
    {
        int n = data.Rows, d = data.Columns;
        var covariance = new double[d, d];
        var centred = new double[d];
        for (int row = 0; row < n; row++)
        {
            var values = data.Row(row);
            for (int j = 0; j < d; j++) centred[j] = values[j] - mean[j];
            for (int a = 0; a < d; a++)
            {
                double ca = centred[a];
                if (ca == 0) continue;
                for (int b = a; b < d; b++) covariance[a, b] += ca * centred[b];
            }
        }
        for (int a = 0; a < d; a++)
            for (int b = a; b < d; b++)
            {
                covariance[a, b] /= n - 1;
                covariance[b, a] = covariance[a, b];
            }
        return covariance;
    }

    /// <summary>Subspace iteration with a few extra vectors (faster convergence), then Rayleigh-Ritz to order them.</summary>
    private static (double[][] Vectors, double[] Values) TopEigenpairs(double[,] matrix, int k)
    {
        int d = matrix.GetLength(0), p = Math.Min(d, k + 4);
        var basis = new double[p][];
        for (int i = 0; i < p; i++)
        {
            basis[i] = new double[d];
            // A fixed, non-degenerate start: deterministic results without a random generator.
            for (int j = 0; j < d; j++) basis[i][j] = Math.Sin(1.0 + 0.7 * i + 1.3 * j + 0.01 * i * j);
        }
        Orthonormalise(basis);
        double[] previous = new double[p];
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            var next = basis.Select(v => Multiply(matrix, v)).ToArray();
            var norms = next.Select(v => Math.Sqrt(Dot(v, v))).ToArray();
            Orthonormalise(next);
            basis = next;
            double change = norms.Zip(previous, (a, b) => Math.Abs(a - b)).Max();
            previous = norms;
            if (change <= Tolerance * Math.Max(1, norms.Max())) break;
        }

        // Rayleigh-Ritz: eigen-decompose the small projected matrix B^T A B and rotate the basis.
        var small = new double[p, p];
        var images = basis.Select(v => Multiply(matrix, v)).ToArray();
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++) small[a, b] = Dot(basis[a], images[b]);
        var (ritzValues, ritzVectors) = Jacobi.Eigen(small);
        var order = Enumerable.Range(0, p).OrderByDescending(i => ritzValues[i]).Take(k).ToArray();
        var vectors = new double[k][];
        var values = new double[k];
        for (int c = 0; c < k; c++)
        {
            int i = order[c];
            values[c] = Math.Max(0, ritzValues[i]);
            var v = new double[d];
            for (int a = 0; a < p; a++)
                for (int j = 0; j < d; j++) v[j] += ritzVectors[a, i] * basis[a][j];
            double norm = Math.Sqrt(Dot(v, v));
            int largest = 0;
            for (int j = 0; j < d; j++)
            {
                v[j] /= norm;
                if (Math.Abs(v[j]) > Math.Abs(v[largest])) largest = j;
            }
            if (v[largest] < 0)
                for (int j = 0; j < d; j++) v[j] = -v[j];
            vectors[c] = v;
        }
        return (vectors, values);
    }

    private static double[] Multiply(double[,] matrix, double[] v)
    {
        int d = v.Length;
        var result = new double[d];
        for (int a = 0; a < d; a++)
        {
            double sum = 0;
            for (int b = 0; b < d; b++) sum += matrix[a, b] * v[b];
            result[a] = sum;
        }
        return result;
    }

    /// <summary>Modified Gram-Schmidt; a vector that collapses (rank-deficient data) is replaced by a unit axis.</summary>
    private static void Orthonormalise(double[][] vectors)
    {
        int d = vectors[0].Length;
        for (int i = 0; i < vectors.Length; i++)
        {
            for (int attempt = 0; attempt <= d; attempt++)
            {
                for (int j = 0; j < i; j++)
                {
                    double projection = Dot(vectors[i], vectors[j]);
                    for (int x = 0; x < d; x++) vectors[i][x] -= projection * vectors[j][x];
                }
                double norm = Math.Sqrt(Dot(vectors[i], vectors[i]));
                if (norm > 1e-10)
                {
                    for (int x = 0; x < d; x++) vectors[i][x] /= norm;
                    break;
                }
                vectors[i] = new double[d];
                vectors[i][(i + attempt) % d] = 1;
            }
        }
    }

    internal static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
