using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;
using SixLabors.ImageSharp;

namespace SemiCmr.Ml.Tests.Import;

public sealed class ManifestImportTests : IDisposable
{
    private readonly string _root = TestPaths.NewTempFolder();
    private string Source => Path.Combine(_root, "source");
    private string Target => Path.Combine(_root, "stored");

    [Fact]
    public void ManifestWithoutSplitOrLabelsGetsASeededEightyTwentySplitAndNoLabels()
    {
        WriteImages(10);
        File.WriteAllText(Path.Combine(Source, "items.csv"),
            "id,image,text_file\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"item{i},images/{i}.png,texts/{i}.xml\n")));
        Directory.CreateDirectory(Path.Combine(Source, "texts"));
        for (int i = 0; i < 10; i++)
            File.WriteAllText(Path.Combine(Source, "texts", $"{i}.xml"), $"<doc><title>Item {i}</title><body>colour number {i}</body></doc>");

        var report = RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf, Seed: 7),
            cancellationToken: TestContext.Current.CancellationToken);

        var stored = FeatureDatasetReader.Read(Target);
        Assert.Equal(("manifest", 10, 0), (report.Format, report.Items, report.Skipped.Count));
        Assert.Equal(8, stored.Items.Count(item => item.Split == Split.Train));
        Assert.All(stored.Items, item => Assert.False(item.HasLabels));
        Assert.Equal("Item 3 colour number 3", stored.Items[3].Text);
        Assert.Equal("images/3.png", stored.Items[3].Image);
        Assert.True(File.Exists(Path.Combine(Target, "images", "3.png")));
        Assert.True(File.Exists(Path.Combine(Target, "thumbnails", "3.jpg")));

        var again = Path.Combine(_root, "again");
        RawDatasetImporter.Import(Source, again, new RawImportSettings(TextEncoderKind.Tfidf, Seed: 7), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(stored.Items.Select(i => i.Split), FeatureDatasetReader.Read(again).Items.Select(i => i.Split));
    }

    [Fact]
    public void GivenFeaturesAreUsedInsteadOfExtractingAndFollowTheSkips()
    {
        WriteImages(3);
        File.Delete(Path.Combine(Source, "images", "1.png"));
        File.WriteAllText(Path.Combine(Source, "items.csv"), "id,split,labels,image,text\na,train,x,images/0.png,one\nb,train,y,images/1.png,two\nc,test,x;y,images/2.png,three\n");
        Npy.Write(Path.Combine(Source, "image_features.npy"), new FeatureMatrix([1, 1, 2, 2, 3, 3], 3, 2));

        var report = RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(("given", "tfidf"), (report.ImageEncoder, report.TextEncoder));
        var stored = FeatureDatasetReader.Read(Target);
        Assert.Equal([1f, 1, 3, 3], stored.ImageFeatures.Values);
        Assert.Equal([["x"], ["x", "y"]], stored.Items.Select(item => item.Labels.Select(l => stored.ClassNames[l]).ToArray()));
    }

    [Fact]
    public void GivenFeaturesWithTheWrongRowCountAreRefused()
    {
        WriteImages(2);
        File.WriteAllText(Path.Combine(Source, "items.csv"), "id,image,text\na,images/0.png,one\nb,images/1.png,two\n");
        Npy.Write(Path.Combine(Source, "text_features.npy"), new FeatureMatrix([1, 2, 3], 3, 1));

        var error = Assert.Throws<DatasetValidationException>(() =>
            RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("3 rows but the dataset lists 2 items", Assert.Single(error.Problems).Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void ItemsCsvWinsOverOtherLayoutsAndWithoutImagesMeansFeatureOnly()
    {
        WriteImages(1);
        File.WriteAllText(Path.Combine(Source, "captions.csv"), "image,caption\n0.png,a caption\n");
        File.WriteAllText(Path.Combine(Source, "items.csv"), "id,image,text\na,images/0.png,one\n");
        Assert.Equal("manifest", RawDatasetImporter.DetectFormat(Source));

        File.WriteAllText(Path.Combine(Source, "items.csv"), "id,split,labels\na,train,x\nb,test,x\n");
        Npy.Write(Path.Combine(Source, "image_features.npy"), new FeatureMatrix([1, 2, 3, 4], 2, 2));
        Npy.Write(Path.Combine(Source, "text_features.npy"), new FeatureMatrix([5, 6], 2, 1));
        Assert.Equal("features", RawDatasetImporter.DetectFormat(Source));

        var report = RawDatasetImporter.Import(Source, Target, new RawImportSettings(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(("features", 2, "given", "given"), (report.Format, report.Items, report.TextEncoder, report.ImageEncoder));
        Assert.Equal([1f, 2, 3, 4], FeatureDatasetReader.Read(Target).ImageFeatures.Values);
    }

    [Fact]
    public void ProgressCoversEveryPhaseAndEndsWithTheLastItem()
    {
        WriteImages(3);
        File.WriteAllText(Path.Combine(Source, "items.csv"), "id,image,text\na,images/0.png,one\nb,images/1.png,two\nc,images/2.png,three\n");
        var events = new List<ImportProgress>();

        RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf), new SyncProgress(events.Add), TestContext.Current.CancellationToken);

        Assert.Equal(["reading", "images", "texts", "writing"], events.Select(e => e.Phase).Distinct());
        Assert.Contains(events, e => e.Phase == "images" && e.Done == 3 && e.Total == 3);
    }

    private void WriteImages(int count)
    {
        Directory.CreateDirectory(Path.Combine(Source, "images"));
        for (int i = 0; i < count; i++)
        {
            using var image = TestImages.Noise(20 + i, 16, seed: i);
            image.SaveAsPng(Path.Combine(Source, "images", $"{i}.png"));
        }
    }

    private sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) { lock (this) report(value); }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
