using SemiCmr.Ml.Data;
using SemiCmr.Ml.Features;
using SemiCmr.Ml.Import;

namespace SemiCmr.Ml.Tests.Import;

/// <summary>
/// The two full imports of the suite (ResNet-18 on 1000 photos and MiniLM on 1000 texts each, about a
/// minute apiece on two cores): everything else runs on tiny generated data.
/// </summary>
public sealed class Flickr8kImportTests : IDisposable
{
    private readonly string _root = TestPaths.NewTempFolder();
    private string Target => Path.Combine(_root, "stored");

    [Fact]
    public void Flickr8kImportsThroughTheManifestWithNothingSkipped()
    {
        var source = ResearchData.Require("flickr8k-1000");

        var report = RawDatasetImporter.Import(source, Target, new RawImportSettings(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(("manifest", 1000, "minilm", "resnet18"), (report.Format, report.Items, report.TextEncoder, report.ImageEncoder));
        Assert.Empty(report.Skipped);
        var stored = FeatureDatasetReader.Read(Target);
        Assert.Equal((512, 384), (stored.ImageFeatures.Columns, stored.TextFeatures.Columns));
        Assert.Equal((800, 200), (stored.IndicesOf(Split.Train).Length, stored.IndicesOf(Split.Test).Length));
        Assert.Equal(12, stored.ClassCount);
        Assert.Equal(1000, Directory.GetFiles(Path.Combine(Target, "thumbnails")).Length);
        Assert.True(report.ImagesPerSecond > 0);
        TestContext.Current.SendDiagnosticMessage($"flickr8k-1000 manifest import: {report.Seconds:0.0} s, {report.ImagesPerSecond:0.0} images/s");

        // Queries go through the same pipelines as the stored rows.
        using var encoders = QueryEncoders.Load(Target);
        AssertClose(stored.TextFeatures.Row(7).ToArray(), encoders.EncodeText(stored.Items[7].Text!));
        using var image = File.OpenRead(Path.Combine(Target, stored.Items[7].Image!));
        Assert.Equal(stored.ImageFeatures.Row(7).ToArray(), encoders.EncodeImage(image));
    }

    [Fact]
    public void Flickr8kImportsThroughTheCaptionsFileWithNothingSkipped()
    {
        var shared = ResearchData.Require("flickr8k-1000");
        var source = Path.Combine(_root, "captions");
        Directory.CreateDirectory(source);
        File.Copy(Path.Combine(shared, "captions.csv"), Path.Combine(source, "captions.csv"));
        Directory.CreateSymbolicLink(Path.Combine(source, "images"), Path.Combine(shared, "images"));

        var report = RawDatasetImporter.Import(source, Target, new RawImportSettings(Seed: 3, ReadableRoots: [source, shared]), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(("captions", 1000), (report.Format, report.Items));
        Assert.Empty(report.Skipped);
        var stored = FeatureDatasetReader.Read(Target);
        Assert.Equal((512, 384), (stored.ImageFeatures.Columns, stored.TextFeatures.Columns));
        Assert.Equal(800, stored.IndicesOf(Split.Train).Length);
        Assert.All(stored.Items, item => Assert.False(item.HasLabels));
        Assert.StartsWith("A child in a pink dress is climbing up a set of stairs in an entry way . A girl going into a wooden building .",
            stored.Items.Single(item => item.Id == "1000268201_693b08cb0e").Text);
    }

    /// <summary>MiniLM rows agree to float rounding whether a text is encoded alone or in a batch.</summary>
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
