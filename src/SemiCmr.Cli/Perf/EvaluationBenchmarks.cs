using BenchmarkDotNet.Attributes;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Runtime;
using SemiCmr.Ml.Training;

namespace SemiCmr.Cli.Perf;

/// <summary>The evaluation of a run's test split (both directions) and loading a feature dataset.</summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private FeatureMatrix _testImages = null!;
    private FeatureMatrix _testTexts = null!;
    private IReadOnlyList<IReadOnlyList<int>> _testLabels = [];

    [GlobalSetup]
    public void Setup()
    {
        var dataset = FeatureDatasetReader.Read(PerfData.Folder);
        var request = new TrainingRequest(dataset, Method.Cca, [], TrainingOptions.Default, 1, TorchRuntime.ResolveDevice(DeviceRequest.Cpu));
        using var run = MethodRunner.Run(request);
        var test = dataset.IndicesOf(Split.Test);
        _testImages = run.Result.ImageEmbeddings.SelectRows(test);
        _testTexts = run.Result.TextEmbeddings.SelectRows(test);
        _testLabels = test.Select(row => dataset.Items[row].Labels).ToList();
    }

    [Benchmark]
    public double EvaluateTestSplit() => CrossModalEvaluator.Evaluate(_testImages, _testTexts, _testLabels).MeanMap;

    [Benchmark]
    public int ReadFeatureDataset() => FeatureDatasetReader.Read(PerfData.Folder).Items.Count;
}

/// <summary>The dataset folder, set by `semicmr perf` before BenchmarkDotNet runs in-process.</summary>
internal static class PerfData
{
    public static string Folder { get; set; } = "";
}
