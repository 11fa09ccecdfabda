using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Cli;

public sealed class CliSamplesTests
{
    [Fact]
    public void SamplesWritesFeatureDatasetsAndEveryRawLayoutThatTheOtherCommandsTake()
    {
        string root = TestPaths.NewTempFolder();
        string samples = Path.Combine(root, "samples");

        var (exitCode, output) = CliHarness.Run("samples", "--out", samples, "--scenes", "24", "--seed", "2");

        Assert.Equal(0, exitCode);
        Assert.Equal(["captions", "features", "features-multilabel", "manifest", "wikipedia"],
            Directory.GetDirectories(samples).Select(Path.GetFileName).Order());
        Assert.Contains("the image file is missing", output); // the deliberate faults are listed
        Assert.False(FeatureDatasetReader.Read(Path.Combine(samples, "features")).IsMultiLabel);
        Assert.True(FeatureDatasetReader.Read(Path.Combine(samples, "features-multilabel")).IsMultiLabel);

        var (trainExit, trainOutput) = CliHarness.Run(["train", "--data", Path.Combine(samples, "features"), "--method", "cca", "--out", Path.Combine(root, "run"), .. CliHarness.TinyTraining]);
        Assert.True(trainExit == 0, trainOutput);
        var (importExit, importOutput) = CliHarness.Run("import", "--source", Path.Combine(samples, "wikipedia"), "--out", Path.Combine(root, "stored"), "--text-encoder", "tfidf");
        Assert.True(importExit == 0, importOutput);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void SamplesRefusesAFolderThatIsNotEmpty()
    {
        string folder = TestPaths.NewTempFolder();
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "mine");

        var (exitCode, output) = CliHarness.Run("samples", "--out", folder);

        Assert.Equal(2, exitCode);
        Assert.Contains("not empty", output);
        Assert.Equal(["keep.txt"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }
}
