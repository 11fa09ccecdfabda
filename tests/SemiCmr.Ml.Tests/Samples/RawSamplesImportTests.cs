using SemiCmr.Ml.Data;
using SemiCmr.Ml.Features;
using SemiCmr.Ml.Import;
using SemiCmr.Ml.Samples;

namespace SemiCmr.Ml.Tests.Samples;

/// <summary>
/// The generated raw samples through the real importer, in every layout: the pipelines the Flickr8k tests check
/// on research data (ResNet-18 images, MiniLM and TF-IDF texts, thumbnails, query encoders), here with the
/// samples' deliberate faults reported exactly.
/// </summary>
public sealed class RawSamplesImportTests : IDisposable
{
    private const int Scenes = 60;
    private readonly string _root = TestPaths.NewTempFolder();
    private string Target => Path.Combine(_root, "stored");
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void ManifestSampleImportsWithResNetAndMiniLmAndSkipsExactlyItsBrokenItems()
    {
        var sample = RawSamples.WriteManifest(Path.Combine(_root, "manifest"), Scenes, seed: 1);

        var report = RawDatasetImporter.Import(sample.Folder, Target, new RawImportSettings(), cancellationToken: Cancel);

        Assert.Equal(("manifest", sample.Items, "minilm", "resnet18"), (report.Format, report.Items, report.TextEncoder, report.ImageEncoder));
        AssertSkips(sample, report);
        var stored = FeatureDatasetReader.Read(Target);
        Assert.Equal((512, 384), (stored.ImageFeatures.Columns, stored.TextFeatures.Columns));
        Assert.True(stored.IsMultiLabel);
        Assert.Contains(stored.Items, item => !item.HasLabels);
        Assert.Equal(sample.Items, Directory.GetFiles(Path.Combine(Target, "thumbnails")).Length);

        // Queries go through the same pipelines as the stored rows.
        using var encoders = QueryEncoders.Load(Target);
        AssertClose(stored.TextFeatures.Row(7).ToArray(), encoders.EncodeText(stored.Items[7].Text!));
        using var image = File.OpenRead(Path.Combine(Target, stored.Items[7].Image!));
        Assert.Equal(stored.ImageFeatures.Row(7).ToArray(), encoders.EncodeImage(image));
    }

    [Fact]
    public void CaptionsSampleJoinsEveryCaptionOfAnImageAndSkipsExactlyItsBrokenItems()
    {
        var sample = RawSamples.Write(Path.Combine(_root, "raw"), Scenes, seed: 2).Single(s => s.Format == "captions");

        var report = RawDatasetImporter.Import(sample.Folder, Target, new RawImportSettings(TextEncoderKind.Tfidf, Seed: 3, TfidfDimensions: 64), cancellationToken: Cancel);

        Assert.Equal(("captions", sample.Items), (report.Format, report.Items));
        AssertSkips(sample, report);
        var stored = FeatureDatasetReader.Read(Target);
        Assert.All(stored.Items, item => Assert.False(item.HasLabels));
        Assert.InRange(stored.IndicesOf(Split.Train).Length, sample.Items * 0.75, sample.Items * 0.85);
        Assert.Contains(" a picture of a ", stored.Items[0].Text);
    }

    [Fact]
    public void WikipediaSampleImportsOneClassPerItemAndSkipsExactlyItsBrokenItems()
    {
        var sample = RawSamples.Write(Path.Combine(_root, "raw"), Scenes, seed: 3).Single(s => s.Format == "wikipedia");

        var report = RawDatasetImporter.Import(sample.Folder, Target, new RawImportSettings(TextEncoderKind.Tfidf, TfidfDimensions: 64), cancellationToken: Cancel);

        Assert.Equal(("wikipedia", sample.Items), (report.Format, report.Items));
        AssertSkips(sample, report);
        var stored = FeatureDatasetReader.Read(Target);
        Assert.Equal(["circle", "square", "triangle"], stored.ClassNames);
        Assert.All(stored.Items, item => Assert.Single(item.Labels));
        Assert.NotEmpty(stored.IndicesOf(Split.Test));
    }

    [Fact]
    public void RawSamplesAreTheSameFilesForTheSameSeed()
    {
        RawSamples.Write(Path.Combine(_root, "a"), RawSamples.MinimumScenes, seed: 5);
        RawSamples.Write(Path.Combine(_root, "b"), RawSamples.MinimumScenes, seed: 5);
        RawSamples.Write(Path.Combine(_root, "c"), RawSamples.MinimumScenes, seed: 6);

        static Dictionary<string, string> Hashes(string folder) => Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(folder, file), file => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))));
        var a = Hashes(Path.Combine(_root, "a"));
        Assert.Equal(a, Hashes(Path.Combine(_root, "b")));
        Assert.NotEqual(a["manifest/items.csv"], Hashes(Path.Combine(_root, "c"))["manifest/items.csv"]);
    }

    private static void AssertSkips(RawSample sample, ImportReport report) =>
        Assert.Equal(
            sample.Skips.Select(s => (s.Item, s.File, s.Reason)).Order(),
            report.Skipped.Select(s => (s.Item, s.File, s.Reason)).Order());

    /// <summary>MiniLM rows agree to float rounding whether a text is encoded alone or in a batch.</summary>
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
