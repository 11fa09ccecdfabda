using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SemiCmr.Ml.Runtime;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

/// <summary>
/// BenchmarkDotNet over the training, evaluation and loading hot paths, in-process (no generated
/// project), so it runs from `dotnet run -c Release` or a published `semicmr`.
/// </summary>
public sealed class PerfCommand : Command<PerfSettings>
{
    public override int Execute(CommandContext context, PerfSettings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.SetThreads(settings.Threads);
        PerfData.Folder = Path.GetFullPath(settings.Data);
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        if (settings.Filter is { } filter)
            config = config.AddFilter(new BenchmarkDotNet.Filters.NameFilter(name => name.Contains(filter, StringComparison.OrdinalIgnoreCase)));
        var summaries = BenchmarkRunner.Run([typeof(TrainingBenchmarks), typeof(EvaluationBenchmarks)], config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
