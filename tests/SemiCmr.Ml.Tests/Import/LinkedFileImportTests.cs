using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;

namespace SemiCmr.Ml.Tests.Import;

public sealed class LinkedFileImportTests
{
    [Fact]
    public void AFileLinkedFromOutsideTheFolderIsSkippedAndNeverRead()
    {
        var root = TestPaths.NewTempFolder();
        var source = Path.Combine(root, "source");
        Directory.CreateDirectory(Path.Combine(source, "images"));
        Directory.CreateDirectory(Path.Combine(source, "texts"));
        var secret = Path.Combine(root, "secret.txt");
        File.WriteAllText(secret, "a private note that must not be imported");
        for (int i = 0; i < 4; i++)
        {
            File.WriteAllBytes(Path.Combine(source, "images", $"{i}.jpg"), TestImages.Jpeg(32, 32, seed: i));
            if (i == 2) File.CreateSymbolicLink(Path.Combine(source, "texts", "2.txt"), secret);
            else File.WriteAllText(Path.Combine(source, "texts", $"{i}.txt"), $"picture number {i}");
        }
        File.WriteAllText(Path.Combine(source, "items.csv"),
            "id,split,labels,image,text_file\n" + string.Concat(Enumerable.Range(0, 4).Select(i => $"i{i},{(i == 3 ? "test" : "train")},a,images/{i}.jpg,texts/{i}.txt\n")));
        var target = Path.Combine(root, "stored");

        var report = RawDatasetImporter.Import(source, target, new RawImportSettings(TextEncoderKind.Tfidf),
            cancellationToken: TestContext.Current.CancellationToken);

        var skipped = Assert.Single(report.Skipped);
        Assert.Equal("i2", skipped.Item);
        Assert.Contains("outside the dataset folder", skipped.Reason);
        Assert.DoesNotContain(FeatureDatasetReader.Read(target).Items, item => item.Text!.Contains("private note"));
    }
}
