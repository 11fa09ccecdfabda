using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SemiCmr.Ml.Tests.Import;

public sealed class WikipediaLayoutImportTests : IDisposable
{
    private readonly string _root = TestPaths.NewTempFolder();
    private string Source => Path.Combine(_root, "wiki");
    private string Target => Path.Combine(_root, "stored");

    [Fact]
    public void MessyWikipediaFolderImportsWithExactlyTheExpectedSkips()
    {
        WriteMessyWikipediaFolder();

        Assert.Equal("wikipedia", RawDatasetImporter.DetectFormat(Source));
        var report = RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf, TfidfDimensions: 64),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("wikipedia", report.Format);
        Assert.Equal(
            [
                new SkippedItem("t4", "images/art/i4.jpg", "the image file is missing"),
                new SkippedItem("t7", "texts/t7.xml", "the text is empty"),
            ],
            report.Skipped);
        var stored = FeatureDatasetReader.Read(Target);
        Assert.Equal(["t1", "t2", "t3", "t5", "t6", "t8"], stored.Items.Select(item => item.Id));
        Assert.Equal(512, stored.ImageFeatures.Columns);
        Assert.Equal([Split.Train, Split.Train, Split.Train, Split.Train, Split.Test, Split.Test], stored.Items.Select(item => item.Split));
        Assert.Equal(["art", "biology", "art", "biology"], new[] { 0, 1, 3, 4 }.Select(i => stored.ClassNames[stored.Items[i].Labels.Single()]));
        Assert.Contains("words & more", stored.Items[0].Text);
    }

    [Fact]
    public void ImagesResolveThroughTheClassOnTheirOwnRowAndKeepTheirFormat()
    {
        WriteMessyWikipediaFolder();

        RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf, TfidfDimensions: 64),
            cancellationToken: TestContext.Current.CancellationToken);

        var items = FeatureDatasetReader.Read(Target).Items;
        // t5 and t6 share the image id "dup": t5 (art) is 40x30, t6 (biology) is 30x40.
        Assert.Equal(40, Image.Identify(Path.Combine(Target, items[3].Image!)).Width);
        Assert.Equal(30, Image.Identify(Path.Combine(Target, items[4].Image!)).Width);
        Assert.Equal("images/2.png", items[2].Image);
        using var thumbnail = Image.Load<Rgb24>(Path.Combine(Target, "thumbnails", "2.jpg"));
        var corner = thumbnail[0, 0];
        Assert.True(corner.R > 240 && corner.G > 240 && corner.B > 240, $"transparent pixels should be white, got {corner}");
        Assert.Equal(6, Directory.GetFiles(Path.Combine(Target, "thumbnails")).Length);
    }

    private void WriteMessyWikipediaFolder()
    {
        Directory.CreateDirectory(Path.Combine(Source, "texts"));
        foreach (var name in new[] { "art", "biology", "sport" }) Directory.CreateDirectory(Path.Combine(Source, "images", name));
        File.WriteAllText(Path.Combine(Source, "categories.list"), "art\nbiology\nsport\n");
        File.WriteAllText(Path.Combine(Source, "trainset_txt_img_cat.list"), "t1\ti1\t1\nt2\ti2\t2\nt3\ti3\t3\nt4\ti4\t1\nt5\tdup\t1\n");
        File.WriteAllText(Path.Combine(Source, "testset_txt_img_cat.list"), "t6\tdup\t2\nt7\ti7\t3\nt8\ti8\t2\n");

        File.WriteAllText(Path.Combine(Source, "texts", "t1.xml"), "<document><title>Painting</title><text>words &amp; more about a painting</text></document>");
        File.WriteAllText(Path.Combine(Source, "texts", "t2.xml"), "<document><text>cells & genes, not well-formed XML</text></document>");
        foreach (var id in new[] { "t3", "t4", "t5", "t6" })
            File.WriteAllText(Path.Combine(Source, "texts", id + ".xml"), $"<document><text>text of {id} about sport and art</text></document>");
        File.WriteAllText(Path.Combine(Source, "texts", "t7.xml"), "<document><text>   </text></document>");
        File.WriteAllText(Path.Combine(Source, "texts", "t8.txt"), "a plain text file about biology");

        File.WriteAllBytes(Path.Combine(Source, "images", "art", "i1.jpg"), TestImages.Jpeg(48, 32));
        File.WriteAllBytes(Path.Combine(Source, "images", "biology", "i2.jpg"), TestImages.CmykJpeg);
        using (var alpha = new Image<Rgba32>(20, 20, new Rgba32(255, 0, 0, 0)))
        {
            alpha[10, 10] = new Rgba32(255, 0, 0, 255);
            alpha.SaveAsPng(Path.Combine(Source, "images", "sport", "i3.jpg")); // a PNG behind a .jpg name, as found in the wild
        }
        File.WriteAllBytes(Path.Combine(Source, "images", "art", "dup.jpg"), TestImages.Jpeg(40, 30, seed: 2));
        File.WriteAllBytes(Path.Combine(Source, "images", "biology", "dup.jpg"), TestImages.Jpeg(30, 40, seed: 3));
        File.WriteAllBytes(Path.Combine(Source, "images", "sport", "i7.jpg"), TestImages.Jpeg(24, 24, seed: 4));
        File.WriteAllBytes(Path.Combine(Source, "images", "biology", "i8.jpg"), TestImages.ProgressiveJpeg);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
