using SemiCmr.Ml.Budget;
using SemiCmr.Ml.Runtime;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Samples;

/// <summary>
/// Each method trained once with the product's default options on generated features and 10% of the labels
/// (training seed 1), shared by the relation tests so each run costs its seconds only once.
/// </summary>
internal static class GeneratedRuns
{
    private static readonly Lazy<IReadOnlyDictionary<Method, RunMetrics>> singleLabel =
        new(() => Train(FeatureSampleSpec.SingleLabel, [Method.Sscmr, Method.Supervised, Method.Full, Method.Cca]));

    private static readonly Lazy<IReadOnlyDictionary<Method, RunMetrics>> multiLabel =
        new(() => Train(FeatureSampleSpec.MultiLabelDefault, [Method.Sscmr, Method.Supervised]));

    public static IReadOnlyDictionary<Method, RunMetrics> SingleLabel => singleLabel.Value;

    public static IReadOnlyDictionary<Method, RunMetrics> MultiLabel => multiLabel.Value;

    public static double Mean(RunMetrics metrics) => (metrics.MapI2T + metrics.MapT2I) / 2;

    public static string Describe(IReadOnlyDictionary<Method, RunMetrics> runs) =>
        string.Join("; ", runs.Select(r => $"{r.Key.ToName()} {r.Value.MapI2T:F4}/{r.Value.MapT2I:F4}"));

    private static IReadOnlyDictionary<Method, RunMetrics> Train(FeatureSampleSpec spec, Method[] methods)
    {
        var dataset = FeatureSamples.Generate(spec);
        var labeled = LabelBudget.ByRatio(dataset, 0.1, seed: 1);
        var device = TorchRuntime.ResolveDevice(DeviceRequest.Cpu);
        var runs = new Dictionary<Method, RunMetrics>();
        foreach (var method in methods)
        {
            var request = new TrainingRequest(dataset, method, labeled, TrainingOptions.Default, 1, device);
            using var run = MethodRunner.Run(request, cancellationToken: TestContext.Current.CancellationToken);
            runs[method] = run.Result.Metrics;
        }
        return runs;
    }
}
