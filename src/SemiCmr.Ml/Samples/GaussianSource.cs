namespace SemiCmr.Ml.Samples;

/// <summary>
/// Standard normal draws from one seeded <see cref="Random"/> (Box-Muller, both values used). Random(seed)
/// keeps its documented legacy sequence, so a seed gives the same samples on every .NET version.
/// </summary>
internal sealed class GaussianSource(int seed)
{
    private double? spare;

    public Random Uniform { get; } = new(seed);

    public double Next()
    {
        if (spare is { } cached)
        {
            spare = null;
            return cached;
        }
        double radius = Math.Sqrt(-2 * Math.Log(1 - Uniform.NextDouble()));
        double angle = 2 * Math.PI * Uniform.NextDouble();
        spare = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    public void Fill(Span<double> target, double scale)
    {
        for (int i = 0; i < target.Length; i++) target[i] = scale * Next();
    }

    /// <summary>A rows x columns matrix (row-major) with N(0, 1/columns) entries, so a map keeps the input's scale.</summary>
    public double[] Map(int rows, int columns)
    {
        var map = new double[rows * columns];
        Fill(map, 1 / Math.Sqrt(columns));
        return map;
    }
}
