using SemiCmr.Ml.Training;
using SemiCmr.Ml.Training.StageOne;
using SemiCmr.Ml.Training.StageTwo;
using TorchSharp;

namespace SemiCmr.Ml.Tests.Training;

public sealed class RunFootprintTests
{
    private static readonly RunShape Shape = new(ImageDim: 40, TextDim: 24, Classes: 5, Items: 300, TrainItems: 200);

    [Fact]
    public void ParameterCountsAreThoseOfTheNetworksTheRunTrains()
    {
        var options = TrainingOptions.Default with { HiddenDim = 16, CommonDim = 8 };
        using var generator = new torch.Generator(1, torch.CPU);
        using var image = new LabelClassifier("image", Shape.ImageDim, options.HiddenDim, Shape.Classes, 0, generator);
        using var text = new LabelClassifier("text", Shape.TextDim, options.HiddenDim, Shape.Classes, 0, generator);
        using var network = new CommonSpaceNetwork(Shape.ImageDim, Shape.TextDim, options.HiddenDim, options.CommonDim, Shape.Classes, 0, generator);

        var sscmr = RunFootprint.Estimate(Shape, Method.Sscmr, options);

        Assert.Equal(Count(image) + Count(text), sscmr.Stage1Parameters);
        Assert.Equal(Count(network), sscmr.Stage2Parameters);
        Assert.Equal(0, RunFootprint.Estimate(Shape, Method.Supervised, options).Stage1Parameters);
    }

    [Fact]
    public void WiderNetworksAndLargerBatchesNeedMoreMemory()
    {
        var small = RunFootprint.Estimate(Shape, Method.Sscmr, TrainingOptions.Default);
        var wide = RunFootprint.Estimate(Shape, Method.Sscmr, TrainingOptions.Default with { HiddenDim = 8192, CommonDim = 8192 });
        var bigBatch = RunFootprint.Estimate(Shape with { TrainItems = 100_000, Items = 100_000 }, Method.Sscmr, TrainingOptions.Default with { BatchSize = 65_536 });

        Assert.True(wide.MemoryBytes > 16 * (long)wide.Parameters, "weights, gradients and two Adam moments in float32");
        Assert.True(wide.DiskBytes > 4 * wide.Stage2Parameters, "the stage-2 weights are saved in float32");
        Assert.True(wide.MemoryBytes > 100 * small.MemoryBytes);
        Assert.True(bigBatch.MemoryBytes > 12 * 4 * 65_536L * 65_536, "J2 compares every pair of a batch");
    }

    [Theory]
    [InlineData(Method.Sscmr)]
    [InlineData(Method.Cca)]
    public void DiskEstimateCoversWhatASavedRunWritesWithoutOverstatingIt(Method method)
    {
        var dataset = SyntheticData.Clusters();
        var options = Fast.Options with { HiddenDim = 256, CommonDim = 64, Stage1Epochs = 1, Stage2Epochs = 1 };
        var folder = TestPaths.NewTempFolder();
        using (var run = Fast.Run(Fast.Request(dataset, method, options: options))) run.Save(folder);
        long written = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        long estimate = RunFootprint.Estimate(RunShape.Of(dataset), method, options).DiskBytes;

        Assert.InRange(estimate, written, 2 * written + 256 * 1024);
    }

    private static long Count(torch.nn.Module module) => module.parameters().Sum(p => p.numel());
}
