namespace SemiCmr.Ml.Samples;

/// <summary>
/// Synthetic embeddings shaped like a run's common space: points scattered around random class centres, so that
/// neighbours are mostly of one class, as they are after training. For index tests and `semicmr perf search`.
/// </summary>
public sealed class ClusteredVectors
{
    private readonly GaussianSource gaussian;
    private readonly float[] centres;
    private readonly float spread;

    /// <param name="spread">Noise per dimension relative to the centres' (1 = clusters overlap heavily).</param>
    public ClusteredVectors(int dimensions, int clusters, int seed, float spread = 0.5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 1);
        Dimensions = dimensions;
        Clusters = clusters;
        this.spread = spread;
        gaussian = new GaussianSource(seed);
        centres = new float[clusters * dimensions];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)gaussian.Next();
    }

    public int Dimensions { get; }
    public int Clusters { get; }

    /// <summary><paramref name="count"/> points (row-major) and each one's cluster, drawn at random.</summary>
    public (float[] Values, int[] Cluster) Next(int count)
    {
        var values = new float[(long)count * Dimensions];
        var cluster = new int[count];
        for (int row = 0; row < count; row++)
        {
            cluster[row] = gaussian.Uniform.Next(Clusters);
            var centre = centres.AsSpan(cluster[row] * Dimensions, Dimensions);
            var point = values.AsSpan(row * Dimensions, Dimensions);
            for (int d = 0; d < Dimensions; d++) point[d] = centre[d] + spread * (float)gaussian.Next();
        }
        return (values, cluster);
    }
}
