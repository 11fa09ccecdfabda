using SemiCmr.Ml.Training;

namespace SemiCmr.Cli.Bench;

/// <summary>One run of a benchmark, as written to the JSON file (camelCase).</summary>
public sealed record BenchRow(
    string Method,
    double Ratio,
    int Seed,
    double MapI2T,
    double MapT2I,
    double? Stage1Accuracy,
    int Labeled,
    double SecondsStage1,
    double SecondsStage2)
{
    public static BenchRow From(Method method, double ratio, int seed, RunMetrics metrics) => new(
        method.ToName(), ratio, seed, metrics.MapI2T, metrics.MapT2I, metrics.Stage1Accuracy,
        metrics.Labeled, metrics.SecondsStage1, metrics.SecondsStage2);
}
