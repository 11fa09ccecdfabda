using SemiCmr.Ml.Data;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Runtime;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Training;

public sealed class CheckpointTests
{
    [Theory]
    [InlineData(Method.Sscmr)]
    [InlineData(Method.Cca)]
    public void LoadingACheckpointReproducesTheEmbeddingsExactly(Method method)
    {
        var dataset = SyntheticData.Clusters();
        var folder = TestPaths.NewTempFolder();
        using (var run = Fast.Run(Fast.Request(dataset, method)))
        {
            run.Save(folder);
        }

        using var model = TrainedModel.Load(folder, TorchRuntime.ResolveDevice(DeviceRequest.Cpu));
        var storedImages = Npy.Read(Path.Combine(folder, ModelFiles.ImageEmbeddings));
        var storedTexts = Npy.Read(Path.Combine(folder, ModelFiles.TextEmbeddings));
        Assert.Equal(storedImages.Values, model.EmbedImages(dataset.ImageFeatures).Values);
        Assert.Equal(storedTexts.Values, model.EmbedTexts(dataset.TextFeatures).Values);
    }

    [Fact]
    public void TheManifestKeepsOptionsLabelNamesNormalisationDimensionsAndMetrics()
    {
        var dataset = SyntheticData.Clusters();
        var folder = TestPaths.NewTempFolder();
        RunMetrics metrics;
        using (var run = Fast.Run(Fast.Request(dataset, Method.Sscmr, seed: 9)))
        {
            run.Save(folder);
            metrics = run.Result.Metrics;
        }

        var manifest = ModelFiles.ReadJson<ModelManifest>(Path.Combine(folder, ModelFiles.Manifest));
        Assert.Equal("sscmr", manifest.Method);
        Assert.Equal(Fast.Options, manifest.Options);
        Assert.Equal(dataset.ClassNames, manifest.ClassNames);
        Assert.Equal((12, 8, Fast.Options.CommonDim, 9), (manifest.ImageDim, manifest.TextDim, manifest.EmbeddingDim, manifest.Seed));
        Assert.Equal(12, manifest.ImageStandardizer.Mean.Length);
        Assert.Equal(metrics, manifest.Metrics);
        Assert.True(File.Exists(Path.Combine(folder, ModelFiles.Weights)));
        Assert.True(File.Exists(Path.Combine(folder, ModelFiles.Predictions)));
        Assert.True(File.Exists(Path.Combine(folder, ModelFiles.Evaluation)));
    }

    [Theory]
    [InlineData(Method.Sscmr)]
    [InlineData(Method.Cca)]
    public void ALoadedModelWeighsItsWeightsAndStandardizers(Method method)
    {
        var dataset = SyntheticData.Clusters();
        var folder = TestPaths.NewTempFolder();
        using (var run = Fast.Run(Fast.Request(dataset, method)))
        {
            run.Save(folder);
        }

        using var model = TrainedModel.Load(folder, TorchRuntime.ResolveDevice(DeviceRequest.Cpu));
        const int Image = 12, Text = 8, Float = 4;
        long standardizers = Float * 2L * (Image + Text);
        long weights;
        if (method == Method.Cca)
        {
            int k = ModelFiles.ReadJson<Ml.Training.Cca.CcaState>(Path.Combine(folder, ModelFiles.Cca)).Dimensions;
            weights = Float * (Image + Text + (long)Image * k + (long)Text * k) + sizeof(double) * k;
        }
        else
        {
            // Two branches into the hidden layer, the shared top into the common space, the classifier; each with a bias.
            int hidden = Fast.Options.HiddenDim, common = Fast.Options.CommonDim, classes = dataset.ClassNames.Count;
            weights = Float * ((Image + 1L) * hidden + (Text + 1L) * hidden + (hidden + 1L) * common + (common + 1L) * classes);
        }
        Assert.Equal(weights + standardizers, model.EstimatedBytes);
    }

    [Fact]
    public void AModelRefusesFeaturesOfTheWrongWidth()
    {
        var dataset = SyntheticData.Clusters();
        using var run = Fast.Run(Fast.Request(dataset, Method.Cca));
        var narrow = new FeatureMatrix(new float[5], 1, 5);
        Assert.Contains("expects 12-dimensional image features", Assert.Throws<ArgumentException>(() => run.Model.EmbedImages(narrow)).Message);
    }

    [Fact]
    public void LoadingAFolderWithoutAModelSaysWhatIsMissing()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TrainedModel.Load(TestPaths.NewTempFolder(), TorchRuntime.ResolveDevice(DeviceRequest.Cpu)));
        Assert.Contains("model.json is missing", error.Message);
    }
}
