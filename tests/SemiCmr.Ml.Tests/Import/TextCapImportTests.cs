using System.Text;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;
using SixLabors.ImageSharp;

namespace SemiCmr.Ml.Tests.Import;

public sealed class TextCapImportTests : IDisposable
{
    private readonly string _root = TestPaths.NewTempFolder();
    private string Source => Path.Combine(_root, "source");
    private string Target => Path.Combine(_root, "stored");

    [Fact]
    public void AnOversizedTextFileIsCutToTheCapAndReported()
    {
        WriteManifest(("a", "train"), ("b", "train"), ("c", "test"));
        File.WriteAllText(Path.Combine(Source, "texts", "a.txt"), "a short text");
        File.WriteAllText(Path.Combine(Source, "texts", "b.txt"), string.Concat(Enumerable.Range(0, 500_000).Select(i => $"word{i}\n")));
        File.WriteAllText(Path.Combine(Source, "texts", "c.txt"), "another short one");

        var report = RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf, MaxTextChars: 1000),
            cancellationToken: TestContext.Current.CancellationToken);

        var cut = Assert.Single(report.Truncated);
        Assert.Equal(("b", "texts/b.txt"), (cut.Item, cut.File));
        var stored = FeatureDatasetReader.Read(Target);
        Assert.Equal(cut.Chars, stored.Items[1].Text!.Length);
        Assert.InRange(cut.Chars, 990, 1000);
        Assert.StartsWith("word0 word1 word2", stored.Items[1].Text);
        Assert.Equal("a short text", stored.Items[0].Text);
        Assert.Equal(3, report.Items);
    }

    [Fact]
    public void ATextFileThatIsNotUtf8IsSkippedNamingTheFile()
    {
        WriteManifest(("a", "train"), ("b", "train"), ("c", "test"));
        File.WriteAllText(Path.Combine(Source, "texts", "a.txt"), "a short text");
        File.WriteAllBytes(Path.Combine(Source, "texts", "b.txt"), Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e"));
        File.WriteAllText(Path.Combine(Source, "texts", "c.txt"), "another short one");

        var report = RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf),
            cancellationToken: TestContext.Current.CancellationToken);

        var skipped = Assert.Single(report.Skipped);
        Assert.Equal(("b", "texts/b.txt"), (skipped.Item, skipped.File));
        Assert.Contains("not valid UTF-8", skipped.Reason);
        Assert.Equal(2, report.Items);
        Assert.DoesNotContain(FeatureDatasetReader.Read(Target).Items, item => item.Text!.Contains('\uFFFD'));
    }

    [Fact]
    public void AGigabyteTextFileIsReadOnlyAsFarAsTheCap()
    {
        string path = Path.Combine(_root, "huge.txt");
        using (var file = File.Create(path)) file.SetLength(1L << 30); // sparse: no disk is spent on it

        long before = GC.GetAllocatedBytesForCurrentThread();
        var text = TextFiles.Read(path, 1000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(text.Truncated);
        Assert.Equal(1000, text.Text.Length);
        Assert.True(allocated < 4 << 20, $"reading allocated {allocated} bytes");
    }

    private void WriteManifest(params (string Id, string Split)[] items)
    {
        Directory.CreateDirectory(Path.Combine(Source, "images"));
        Directory.CreateDirectory(Path.Combine(Source, "texts"));
        var csv = new StringBuilder("id,split,labels,image,text_file\n");
        for (int i = 0; i < items.Length; i++)
        {
            using var image = TestImages.Noise(20, 16, seed: i);
            image.SaveAsPng(Path.Combine(Source, "images", $"{items[i].Id}.png"));
            csv.Append($"{items[i].Id},{items[i].Split},x,images/{items[i].Id}.png,texts/{items[i].Id}.txt\n");
        }
        File.WriteAllText(Path.Combine(Source, "items.csv"), csv.ToString());
        // Given image features keep the test off ResNet: these tests are about texts.
        Npy.Write(Path.Combine(Source, "image_features.npy"), new FeatureMatrix(new float[items.Length * 2], items.Length, 2));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
