using SemiCmr.Cli.Common;
using SemiCmr.Ml.Models;

namespace SemiCmr.Ml.Tests.Cli;

public sealed class CliTrainEvalTests
{
    [Fact]
    public void TrainWritesTheRunFolderAndPrintsItsMetrics()
    {
        var data = CliHarness.WriteDataset();
        var run = Path.Combine(TestPaths.NewTempFolder(), "run");

        var (exitCode, output) = CliHarness.Run(["train", "--data", data, "--method", "sscmr", "--label-ratio", "0.5", "--seed", "3", "--out", run, .. CliHarness.TinyTraining]);

        Assert.True(exitCode == 0, output);
        foreach (var file in new[] { ModelFiles.Manifest, ModelFiles.ImageEmbeddings, ModelFiles.TextEmbeddings, ModelFiles.Predictions })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing");
        var manifest = ModelFiles.ReadJson<ModelManifest>(Path.Combine(run, ModelFiles.Manifest));
        Assert.Equal((2, 2, 16, 16, 4), (manifest.Options.Stage1Epochs, manifest.Options.Stage2Epochs, manifest.Options.BatchSize, manifest.Options.HiddenDim, manifest.Options.CommonDim));
        var metrics = manifest.Metrics!;
        Assert.Equal(15, metrics.Labeled);
        Assert.NotNull(metrics.Stage1Accuracy);
        Assert.Contains(MetricsTable.Format(metrics.MapI2T), CliHarness.Line(output, "MAP image->text"));
        Assert.Contains(MetricsTable.Format(metrics.MapT2I), CliHarness.Line(output, "MAP text->image"));
    }

    [Theory]
    [InlineData("sscmr")]
    [InlineData("cca")]
    public void EvalOfASavedRunReproducesTheMapTrainingReported(string method)
    {
        var data = CliHarness.WriteDataset();
        var run = Path.Combine(TestPaths.NewTempFolder(), "run");
        var train = CliHarness.Run(["train", "--data", data, "--method", method, "--label-count", "6", "--out", run, .. CliHarness.TinyTraining]);
        Assert.True(train.ExitCode == 0, train.Output);
        var saved = ModelFiles.ReadJson<ModelManifest>(Path.Combine(run, ModelFiles.Manifest)).Metrics!;

        var (exitCode, output) = CliHarness.Run("eval", "--model", run, "--data", data, "--device", "cpu");

        Assert.True(exitCode == 0, output);
        var line = CliHarness.Line(output, "MAP@all");
        Assert.Contains(MetricsTable.Format(saved.MapI2T), line);
        Assert.Contains(MetricsTable.Format(saved.MapT2I), line);
        Assert.Contains("precision@10", output);
    }

    [Fact]
    public void FullIgnoresTheLabelRatioAndUsesEveryTrainingLabel()
    {
        var data = CliHarness.WriteDataset();
        var run = Path.Combine(TestPaths.NewTempFolder(), "run");

        var (exitCode, output) = CliHarness.Run(["train", "--data", data, "--method", "full", "--label-ratio", "0.1", "--out", run, .. CliHarness.TinyTraining]);

        Assert.True(exitCode == 0, output);
        Assert.Equal(30, ModelFiles.ReadJson<ModelManifest>(Path.Combine(run, ModelFiles.Manifest)).Metrics!.Labeled);
    }
}
