using SemiCmr.Ml.Data;
using SemiCmr.Ml.Training;
using TorchSharp;

namespace SemiCmr.Ml.Models;

/// <summary>
/// A trained model of any method: takes raw dataset features of either modality into the common space.
/// Saved as model.json (manifest) plus model.weights (neural methods) or cca.json (CCA).
/// </summary>
public sealed class TrainedModel : IDisposable
{
    private readonly ICommonSpaceProjector _projector;

    internal TrainedModel(ModelManifest manifest, ICommonSpaceProjector projector)
    {
        Manifest = manifest;
        _projector = projector;
    }

    public ModelManifest Manifest { get; private set; }

    public static TrainedModel Load(string directory, torch.Device device)
    {
        var manifestPath = Path.Combine(directory, ModelFiles.Manifest);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"No trained model in {directory}: {ModelFiles.Manifest} is missing.", manifestPath);
        var manifest = ModelFiles.ReadJson<ModelManifest>(manifestPath);
        ICommonSpaceProjector projector = MethodNames.Parse(manifest.Method) == Method.Cca
            ? CcaProjector.Load(directory)
            : NeuralProjector.Load(directory, manifest, device);
        return new TrainedModel(manifest, projector);
    }

    /// <summary>
    /// Bytes it holds in memory: the weights plus the two standardizers (a mean and a scale per feature). A model on a
    /// GPU holds its weights there instead; this still counts them, as they are what unloading it frees.
    /// </summary>
    public long EstimatedBytes =>
        _projector.WeightBytes + 4L * (Manifest.ImageStandardizer.Mean.Length + Manifest.ImageStandardizer.Scale.Length
            + Manifest.TextStandardizer.Mean.Length + Manifest.TextStandardizer.Scale.Length);

    public FeatureMatrix EmbedImages(FeatureMatrix imageFeatures)
    {
        CheckColumns(imageFeatures, Manifest.ImageDim, "image");
        return _projector.ProjectImages(Manifest.ImageStandardizer.Apply(imageFeatures));
    }

    public FeatureMatrix EmbedTexts(FeatureMatrix textFeatures)
    {
        CheckColumns(textFeatures, Manifest.TextDim, "text");
        return _projector.ProjectTexts(Manifest.TextStandardizer.Apply(textFeatures));
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        ModelFiles.WriteJson(Path.Combine(directory, ModelFiles.Manifest), Manifest);
        _projector.Save(directory);
    }

    internal void AttachMetrics(RunMetrics metrics) => Manifest = Manifest with { Metrics = metrics };

    public void Dispose() => _projector.Dispose();

    private static void CheckColumns(FeatureMatrix features, int expected, string modality)
    {
        if (features.Columns != expected)
            throw new ArgumentException($"The model expects {expected}-dimensional {modality} features, got {features.Columns}.");
    }
}
