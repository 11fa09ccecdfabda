using SemiCmr.Ml.Data;
using TorchSharp;

namespace SemiCmr.Ml.Tests.Cli;

public sealed class CliErrorTests
{
    [Fact]
    public void ABadDatasetExitsWithTwoAndNamesTheFileAndRow()
    {
        var data = CliHarness.WriteDataset();
        var csv = File.ReadAllLines(Path.Combine(data, "items.csv"));
        csv[2] = csv[2].Replace(",train,", ",training,");
        File.WriteAllLines(Path.Combine(data, "items.csv"), csv);

        var (exitCode, output) = CliHarness.Run(["train", "--data", data, "--method", "cca", "--out", TestPaths.NewTempFolder(), .. CliHarness.TinyTraining]);

        Assert.Equal(2, exitCode);
        Assert.Contains("items.csv, row 3", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void AMissingDataFolderExitsWithTwo()
    {
        var missing = Path.Combine(TestPaths.NewTempFolder(), "nowhere");

        var (exitCode, output) = CliHarness.Run("eval", "--model", TestPaths.NewTempFolder(), "--data", missing);

        Assert.Equal(2, exitCode);
        Assert.Contains("Dataset folder not found", output);
        Assert.Contains("nowhere", output);
    }

    [Fact]
    public void AnOutOfRangeTrainingOptionExitsWithTwoAndNamesTheFlag()
    {
        var data = CliHarness.WriteDataset();

        var (exitCode, output) = CliHarness.Run("train", "--data", data, "--method", "full", "--out", TestPaths.NewTempFolder(), "--batch-size", "1", "--dropout", "2");

        Assert.Equal(2, exitCode);
        Assert.Contains("--batch-size", output);
        Assert.Contains("--dropout", output);
    }

    [Fact]
    public void AnUnknownOrMalformedTrainingFlagExitsWithTwoAndNamesIt()
    {
        var data = CliHarness.WriteDataset();

        var (exitCode, output) = CliHarness.Run("train", "--data", data, "--method", "full", "--out", TestPaths.NewTempFolder(),
            "--stage1-epoch", "3", "--alpha", "much", "--hidden-dim", "12.5");

        Assert.Equal(2, exitCode);
        Assert.Contains("--stage1-epoch is not an option", output);
        Assert.Contains("--alpha must be a number", output);
        Assert.Contains("--hidden-dim must be a whole number", output);
    }

    [Fact]
    public void ABudgetedMethodWithoutABudgetExitsWithTwo()
    {
        var (exitCode, output) = CliHarness.Run("train", "--data", CliHarness.WriteDataset(), "--method", "sscmr", "--out", TestPaths.NewTempFolder());

        Assert.Equal(2, exitCode);
        Assert.Contains("--label-ratio", output);
    }

    [Fact]
    public void CudaRequestedOnAMachineWithoutCudaExitsWithTwo()
    {
        Assert.SkipWhen(torch.cuda.is_available(), "this machine has CUDA");
        var data = CliHarness.WriteDataset();

        var (exitCode, output) = CliHarness.Run("train", "--data", data, "--method", "cca", "--out", TestPaths.NewTempFolder(), "--device", "cuda");

        Assert.Equal(2, exitCode);
        Assert.Contains("CUDA was requested but is not available", output);
    }

    [Fact]
    public void EvalRefusesADatasetWhoseFeatureDimensionsDifferFromTheModel()
    {
        var run = Path.Combine(TestPaths.NewTempFolder(), "run");
        var train = CliHarness.Run(["train", "--data", CliHarness.WriteDataset(), "--method", "cca", "--out", run, .. CliHarness.TinyTraining]);
        Assert.True(train.ExitCode == 0, train.Output);

        var (exitCode, output) = CliHarness.Run("eval", "--model", run, "--data", CliHarness.WriteDataset(imageDim: 5), "--device", "cpu");

        Assert.Equal(2, exitCode);
        Assert.Contains("image features: the model expects 8 columns, the dataset has 5", output);
    }
}
