using Microsoft.Extensions.Options;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Features;
using SemiCmr.Ml.Models;
using SemiCmr.Web.Hosting;
using TorchSharp;

namespace SemiCmr.Web.Search;

/// <summary>
/// What a free-text or image query needs beyond the index: the dataset's query encoders (cached per dataset)
/// and the run's trained model (cached per run, on the CPU: one query is a single row). Both caches are bounded
/// and serialise calls per entry.
/// </summary>
public sealed class QueryModels(AppPaths paths, IOptions<SearchOptions> options) : IDisposable
{
    private readonly ExclusiveCache<QueryEncoders> encoders = new(options.Value.CachedEncoders);
    private readonly ExclusiveCache<TrainedModel> models = new(options.Value.CachedModels);

    /// <summary>The query's features, or why the dataset cannot encode such a query.</summary>
    public (float[]? Features, string? WhyNot) EncodeText(int datasetId, string text) =>
        encoders.Use(datasetId, () => QueryEncoders.Load(paths.Dataset(datasetId)),
            e => e.CanEncodeText ? (e.EncodeText(text), null) : ((float[]?)null, e.WhyNotText ?? "This dataset has no text encoder."));

    /// <summary>The image's features, or why the dataset cannot encode images; throws ImageRejectedException for a bad file.</summary>
    public (float[]? Features, string? WhyNot) EncodeImage(int datasetId, Stream image) =>
        encoders.Use(datasetId, () => QueryEncoders.Load(paths.Dataset(datasetId)),
            e => e.CanEncodeImages ? (e.EncodeImage(image), null) : ((float[]?)null, e.WhyNotImages ?? "This dataset has no image encoder."));

    /// <summary>Takes query features of one modality into the run's common space.</summary>
    public float[] Embed(int runId, string runFolder, float[] features, bool isImage) =>
        models.Use(runId, () => TrainedModel.Load(runFolder, torch.CPU), model =>
        {
            var row = new FeatureMatrix(features, 1, features.Length);
            return (isImage ? model.EmbedImages(row) : model.EmbedTexts(row)).Values;
        });

    /// <summary>Drops one run's model (its dataset's text encoder stays: other runs use it).</summary>
    public void EvictRun(int runId) => models.Evict([runId]);

    public void Evict(int datasetId, IEnumerable<int> runIds)
    {
        encoders.Evict([datasetId]);
        models.Evict(runIds);
    }

    public void Dispose()
    {
        encoders.Dispose();
        models.Dispose();
    }
}
