using BenchmarkDotNet.Attributes;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Runtime;
using SemiCmr.Ml.Training;

namespace SemiCmr.Cli.Perf;

/// <summary>
/// Stage 2 at the default width and batch size, measured as a whole `full` run with 1 and with 11
/// epochs: the difference over 10 is the cost of one epoch (training plus the per-epoch validation MAP),
/// free of the fixed costs around it.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private FeatureDataset _dataset = null!;

    [Params(1, 11)]
    public int Stage2Epochs { get; set; }

    [GlobalSetup]
    public void Setup() => _dataset = FeatureDatasetReader.Read(PerfData.Folder);

    [Benchmark]
    public double Stage2FullRun()
    {
        var options = TrainingOptions.Default with { Stage2Epochs = Stage2Epochs };
        var request = new TrainingRequest(_dataset, Method.Full, [], options, 1, TorchRuntime.ResolveDevice(DeviceRequest.Cpu));
        using var run = MethodRunner.Run(request);
        return run.Result.Metrics.MapI2T;
    }
}
