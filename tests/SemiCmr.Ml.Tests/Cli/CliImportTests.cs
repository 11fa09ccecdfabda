using SemiCmr.Ml.Data;
using SemiCmr.Ml.Tests.Import;

namespace SemiCmr.Ml.Tests.Cli;

public sealed class CliImportTests
{
    [Fact]
    public void ImportWritesAStoredDatasetAndListsTheSkippedItems()
    {
        var source = WriteCaptionsFolder(images: 6, missing: 2);
        var stored = Path.Combine(TestPaths.NewTempFolder(), "stored");

        var (exitCode, output) = CliHarness.Run("import", "--source", source, "--out", stored, "--text-encoder", "tfidf");

        Assert.Equal(0, exitCode);
        Assert.Contains("captions", output);
        Assert.Contains("2.jpg", output); // the skipped item is listed with its file
        var dataset = FeatureDatasetReader.Read(stored);
        Assert.Equal(5, dataset.Items.Count);
        Assert.Equal(512, dataset.ImageFeatures.Columns);
    }

    [Fact]
    public void ImportOfAFolderWithNoKnownLayoutExitsWithCodeTwoAndWritesNothing()
    {
        var source = TestPaths.NewTempFolder();
        File.WriteAllText(Path.Combine(source, "notes.txt"), "nothing to import");
        var stored = Path.Combine(TestPaths.NewTempFolder(), "stored");

        var (exitCode, output) = CliHarness.Run("import", "--source", source, "--out", stored);

        Assert.Equal(2, exitCode);
        Assert.Contains(source, output);
        Assert.False(Directory.Exists(stored));
    }

    private static string WriteCaptionsFolder(int images, int missing)
    {
        var folder = TestPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(folder, "images"));
        var captions = new System.Text.StringBuilder("image,caption\n");
        for (int i = 0; i < images; i++)
        {
            if (i != missing) File.WriteAllBytes(Path.Combine(folder, "images", $"{i}.jpg"), TestImages.Jpeg(32, 32, seed: i));
            captions.Append($"{i}.jpg,picture number {i}\n{i}.jpg,another caption of picture {i}\n");
        }
        File.WriteAllText(Path.Combine(folder, "captions.csv"), captions.ToString());
        return folder;
    }
}
