using SemiCmr.Ml.Data;
using SemiCmr.Ml.Training.StageTwo;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Models;

/// <summary>The trained stage-2 network, applied in evaluation mode in fixed-size chunks.</summary>
internal sealed class NeuralProjector(CommonSpaceNetwork network, Device device) : ICommonSpaceProjector
{
    // Fixed chunks make embeddings at training time and after loading bit-identical.
    private const int ChunkRows = 4096;

    public static NeuralProjector Load(string directory, ModelManifest manifest, Device device)
    {
        var options = manifest.Options;
        var network = new CommonSpaceNetwork(manifest.ImageDim, manifest.TextDim, options.HiddenDim,
            options.CommonDim, manifest.ClassNames.Count, options.Dropout, generator: null);
        try
        {
            network.load(Path.Combine(directory, ModelFiles.Weights));
            network.to(device);
            network.eval();
            return new NeuralProjector(network, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    public int Dimensions => network.CommonDim;

    // The module's own parameters (not copies): nothing to dispose.
    public long WeightBytes => network.parameters().Sum(p => p.numel() * p.ElementSize);

    public FeatureMatrix ProjectImages(FeatureMatrix standardized) => Project(standardized, network.EmbedImages);

    public FeatureMatrix ProjectTexts(FeatureMatrix standardized) => Project(standardized, network.EmbedTexts);

    public void Save(string directory) => network.save(Path.Combine(directory, ModelFiles.Weights));

    public void Dispose() => network.Dispose();

    private FeatureMatrix Project(FeatureMatrix features, Func<Tensor, Tensor> embed)
    {
        network.eval();
        int columns = network.CommonDim;
        var output = new float[(long)features.Rows * columns];
        using var noGrad = no_grad();
        for (int start = 0; start < features.Rows; start += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, features.Rows - start);
            using var scope = NewDisposeScope();
            var chunk = tensor(features.Values.AsSpan(start * features.Columns, rows * features.Columns).ToArray(),
                [rows, features.Columns], device: device);
            embed(chunk).cpu().contiguous().data<float>().CopyTo(output.AsSpan(start * columns, rows * columns));
        }
        return new FeatureMatrix(output, features.Rows, columns);
    }
}
