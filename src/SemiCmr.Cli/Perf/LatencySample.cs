namespace SemiCmr.Cli.Perf;

/// <summary>Latencies of one phase of a load measurement, in milliseconds, and the requests that failed.</summary>
public sealed class LatencySample
{
    private readonly List<double> milliseconds = [];
    private readonly Lock gate = new();

    public int Errors { get; private set; }

    /// <summary>The errors that were the server's rate limit (429): not a failure of the thing measured, but a limit to lift.</summary>
    public int RateLimited { get; private set; }

    public int Count { get { lock (gate) return milliseconds.Count; } }

    public void Add(double ms) { lock (gate) milliseconds.Add(ms); }

    public void AddError() { lock (gate) Errors++; }

    public void AddRateLimited() { lock (gate) { Errors++; RateLimited++; } }

    /// <summary>The nearest-rank percentile (0-100) of the latencies so far; NaN when there are none.</summary>
    public double Percentile(double percent)
    {
        lock (gate)
        {
            if (milliseconds.Count == 0) return double.NaN;
            var sorted = milliseconds.Order().ToArray();
            int rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }
}
