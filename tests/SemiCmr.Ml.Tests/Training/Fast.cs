using SemiCmr.Ml.Data;
using SemiCmr.Ml.Runtime;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Training;

/// <summary>Small, quick training requests for tests.</summary>
internal static class Fast
{
    public static readonly TrainingOptions Options = TrainingOptions.Default with
    {
        Stage1Epochs = 15, Stage2Epochs = 15, BatchSize = 32, HiddenDim = 32, CommonDim = 8, LearningRate = 3e-3, RampUpEpochs = 5,
    };

    public static TrainingRequest Request(FeatureDataset dataset, Method method, IReadOnlyList<int>? labeled = null, int seed = 1,
        TrainingOptions? options = null) =>
        new(dataset, method, labeled ?? SyntheticData.EveryNthTrainRow(dataset, 5), options ?? Options, seed,
            TorchRuntime.ResolveDevice(DeviceRequest.Cpu));

    public static TrainedRun Run(TrainingRequest request, IProgress<TrainingProgress>? progress = null) =>
        MethodRunner.Run(request, progress, TestContext.Current.CancellationToken);
}
