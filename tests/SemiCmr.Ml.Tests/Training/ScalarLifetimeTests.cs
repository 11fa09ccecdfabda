using SemiCmr.Ml.Data;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Training;

/// <summary>
/// Training must survive a garbage collector that finalises everything unreachable at any moment:
/// every Scalar handed to libtorch has to be owned by our code until the call returns
/// (src/SemiCmr.Ml/TORCHSHARP.md).
/// </summary>
public sealed class ScalarLifetimeTests
{
    private static readonly FeatureDataset Dataset = SyntheticData.Clusters();

    [Fact]
    public void TrainingSurvivesCollectionsWithFinalizersOnAnotherThread()
    {
        var report = TrainUnderPressure(TimeSpan.FromSeconds(6), TestContext.Current.CancellationToken);

        Assert.True(report.Runs >= 1, $"no run finished in the budget ({report})");
        Assert.True(report.Collections > 0, $"the pressure thread never collected ({report})");
        TestContext.Current.SendDiagnosticMessage(report.ToString());
    }

    /// <summary>
    /// The same for as long as SEMICMR_SOAK_MINUTES says (default 10); explicit, so only on request:
    /// `SEMICMR_SOAK_MINUTES=10 dotnet test --project tests/SemiCmr.Ml.Tests --filter-method "*SoakTrainingUnderCollectionPressure" --explicit only`.
    /// </summary>
    [Fact(Explicit = true)]
    public void SoakTrainingUnderCollectionPressure()
    {
        double minutes = double.TryParse(Environment.GetEnvironmentVariable("SEMICMR_SOAK_MINUTES"),
            System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 10;
        var report = TrainUnderPressure(TimeSpan.FromMinutes(minutes), TestContext.Current.CancellationToken);

        TestContext.Current.SendDiagnosticMessage($"soak: {report}");
        Assert.True(report.Runs >= 1, report.ToString());
    }

    internal static PressureReport TrainUnderPressure(TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        int runs = 0;
        using var pressure = new GcPressure();
        var methods = new[] { Method.Sscmr, Method.Supervised, Method.Cca };
        while (DateTime.UtcNow - started < budget)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var request = Fast.Request(Dataset, methods[runs % methods.Length], seed: runs);
            using var run = MethodRunner.Run(request, cancellationToken: cancellationToken);
            runs++;
        }
        return new PressureReport(runs, pressure.Collections, DateTime.UtcNow - started);
    }

    internal sealed record PressureReport(int Runs, long Collections, TimeSpan Elapsed)
    {
        public override string ToString() => $"{Runs} runs, {Collections} forced collections in {Elapsed.TotalSeconds:F1} s";
    }
}
