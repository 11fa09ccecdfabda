using SemiCmr.Ml.Data;
using SemiCmr.Ml.Features;
using SemiCmr.Ml.Import;
using SemiCmr.Ml.Tests.Import;

namespace SemiCmr.Ml.Tests.Features;

public sealed class QueryEncodersTests : IDisposable
{
    private readonly string _root = TestPaths.NewTempFolder();
    private string Source => Path.Combine(_root, "source");
    private string Target => Path.Combine(_root, "stored");

    [Fact]
    public void QueriesReproduceTheStoredRowsOfAnItem()
    {
        Directory.CreateDirectory(Path.Combine(Source, "images"));
        string[] texts = ["a red circle", "a blue square on grass", "two green triangles", "a yellow star"];
        for (int i = 0; i < texts.Length; i++)
            File.WriteAllBytes(Path.Combine(Source, "images", $"{i}.jpg"), TestImages.Jpeg(300 + 20 * i, 260, seed: i));
        File.WriteAllText(Path.Combine(Source, "items.csv"), "id,image,text\n" + string.Concat(texts.Select((t, i) => $"item{i},images/{i}.jpg,{t}\n")));
        RawDatasetImporter.Import(Source, Target, new RawImportSettings(TextEncoderKind.Tfidf, TfidfDimensions: 32), cancellationToken: TestContext.Current.CancellationToken);
        var stored = FeatureDatasetReader.Read(Target);

        using var encoders = QueryEncoders.Load(Target);
        Assert.True(encoders.CanEncodeText && encoders.CanEncodeImages);
        for (int row = 0; row < stored.Items.Count; row++)
        {
            Assert.Equal(stored.TextFeatures.Row(row).ToArray(), encoders.EncodeText(stored.Items[row].Text!));
            using var file = File.OpenRead(Path.Combine(Target, stored.Items[row].Image!));
            Assert.Equal(stored.ImageFeatures.Row(row).ToArray(), encoders.EncodeImage(file));
        }
        Assert.Throws<ImageRejectedException>(() => encoders.EncodeImage(new MemoryStream(TestImages.TruncatedJpeg())));
    }

    [Fact]
    public void FeatureOnlyDatasetsExplainWhyQueriesCannotBeEncoded()
    {
        Directory.CreateDirectory(Source);
        File.WriteAllText(Path.Combine(Source, "items.csv"), "id,split,labels\na,train,x\nb,test,x\n");
        Npy.Write(Path.Combine(Source, "image_features.npy"), new FeatureMatrix([1, 2], 2, 1));
        Npy.Write(Path.Combine(Source, "text_features.npy"), new FeatureMatrix([3, 4], 2, 1));
        RawDatasetImporter.Import(Source, Target, new RawImportSettings(), cancellationToken: TestContext.Current.CancellationToken);

        using var encoders = QueryEncoders.Load(Target);

        Assert.False(encoders.CanEncodeText);
        Assert.False(encoders.CanEncodeImages);
        Assert.Contains("own text features", encoders.WhyNotText);
        Assert.Contains("own image features", encoders.WhyNotImages);
        Assert.Throws<InvalidOperationException>(() => encoders.EncodeText("a dog"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
