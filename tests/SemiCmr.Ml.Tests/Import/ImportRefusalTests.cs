using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;

namespace SemiCmr.Ml.Tests.Import;

public sealed class ImportRefusalTests : IDisposable
{
    private readonly string _root = TestPaths.NewTempFolder();
    private string Source => Path.Combine(_root, "source");
    private string Target => Path.Combine(_root, "stored");

    [Fact]
    public void DecompressionBombIsRefusedFromItsHeaderAndLeavesNothingBehind()
    {
        WriteManifest(("bomb", TestImages.BombJpeg()));

        var error = Assert.Throws<DatasetValidationException>(Import);

        Assert.Contains(error.Problems, p => p.File == "images/bomb.jpg" && p.Message.Contains("60000x60000") && p.Message.Contains("decompression bomb"));
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void TruncatedJpegIsRefusedAndLeavesNothingBehind()
    {
        WriteManifest(("cut", TestImages.TruncatedJpeg()));

        var error = Assert.Throws<DatasetValidationException>(Import);

        Assert.Contains(error.Problems, p => p.File == "images/cut.jpg" && p.Message.Contains("truncated"));
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void BadImagesAmongGoodOnesAreSkippedWithTheirReason()
    {
        WriteManifest(("good", TestImages.Jpeg(32, 32)), ("fine", TestImages.Jpeg(24, 32, seed: 2)), ("bomb", TestImages.BombJpeg()), ("cut", TestImages.TruncatedJpeg()), ("junk", "not an image"u8.ToArray()));

        var report = Import();

        Assert.Equal(2, report.Items);
        Assert.Equal(["bomb", "cut", "junk"], report.Skipped.Select(s => s.Item));
        Assert.Contains("not a supported image", report.Skipped[2].Reason);
    }

    [Theory]
    [InlineData("../outside.jpg", "'..'")]
    [InlineData("images/../../outside.jpg", "'..'")]
    [InlineData("/tmp/outside.jpg", "absolute path")]
    public void ManifestPathsLeavingTheFolderAreRefusedNamingTheRow(string path, string why)
    {
        Directory.CreateDirectory(Path.Combine(Source, "images"));
        File.WriteAllBytes(Path.Combine(_root, "outside.jpg"), TestImages.Jpeg(16, 16));
        File.WriteAllBytes(Path.Combine(Source, "images", "ok.jpg"), TestImages.Jpeg(16, 16));
        File.WriteAllText(Path.Combine(Source, "items.csv"), $"id,image,text\nok,images/ok.jpg,fine\nescape,{path},sneaky\n");

        var error = Assert.Throws<DatasetValidationException>(Import);

        var problem = Assert.Single(error.Problems);
        Assert.Equal(("items.csv", 3, "image"), (problem.File, problem.Row, problem.Column));
        Assert.Contains(why, problem.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void CancelledImportLeavesNothingBehind()
    {
        WriteManifest(("a", TestImages.Jpeg(16, 16)));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf), cancellationToken: cancelled.Token));
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void FolderWithoutAKnownLayoutIsRefusedWithWhatWasExpected()
    {
        Directory.CreateDirectory(Source);
        File.WriteAllText(Path.Combine(Source, "notes.txt"), "hello");

        var error = Assert.Throws<DatasetValidationException>(Import);

        Assert.Contains("captions.csv", Assert.Single(error.Problems).Message);
        Assert.False(Directory.Exists(Target));
    }

    private ImportReport Import() =>
        RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf), cancellationToken: TestContext.Current.CancellationToken);

    private void WriteManifest(params (string Id, byte[] Bytes)[] images)
    {
        Directory.CreateDirectory(Path.Combine(Source, "images"));
        var csv = "id,image,text\n";
        foreach (var (id, bytes) in images)
        {
            File.WriteAllBytes(Path.Combine(Source, "images", id + ".jpg"), bytes);
            csv += $"{id},images/{id}.jpg,a text about {id}\n";
        }
        File.WriteAllText(Path.Combine(Source, "items.csv"), csv);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
