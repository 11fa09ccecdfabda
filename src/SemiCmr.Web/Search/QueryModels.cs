using SemiCmr.Ml.Data;
using SemiCmr.Ml.Features;
using SemiCmr.Ml.Models;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Hosting;
using TorchSharp;

namespace SemiCmr.Web.Search;

/// <summary>
/// What a free-text or image query needs beyond the index: the dataset's query encoders (cached per dataset) and the
/// run's trained model (cached per run, on the CPU: one query is a single row), both in the <see cref="ResourceCache"/>.
/// A model takes one query at a time (TorchSharp modules are not safe to call concurrently); the encoders are: the
/// MiniLM and ResNet-18 sessions they share with every dataset serialise or are thread-safe themselves.
/// </summary>
public sealed class QueryModels(ResourceCache cache, AppPaths paths)
{
    /// <summary>The query's features, or why the dataset cannot encode such a query.</summary>
    public async Task<(float[]? Features, string? WhyNot)> EncodeText(int datasetId, string text, CancellationToken cancellationToken = default)
    {
        using var encoders = await Encoders(datasetId, cancellationToken);
        var e = encoders.Value;
        return e.CanEncodeText ? (e.EncodeText(text), null) : (null, e.WhyNotText ?? "This dataset has no text encoder.");
    }

    /// <summary>The image's features, or why the dataset cannot encode images; throws ImageRejectedException for a bad file.</summary>
    public async Task<(float[]? Features, string? WhyNot)> EncodeImage(int datasetId, Stream image, CancellationToken cancellationToken = default)
    {
        using var encoders = await Encoders(datasetId, cancellationToken);
        var e = encoders.Value;
        return e.CanEncodeImages ? (e.EncodeImage(image), null) : (null, e.WhyNotImages ?? "This dataset has no image encoder.");
    }

    /// <summary>Takes query features of one modality into the run's common space.</summary>
    public async Task<float[]> Embed(int runId, int datasetId, float[] features, bool isImage, CancellationToken cancellationToken = default)
    {
        using var model = await cache.Lease(runId, () => Task.FromResult(LoadModel(runId, datasetId)), cancellationToken);
        return model.Value.Embed(new FeatureMatrix(features, 1, features.Length), isImage);
    }

    private Task<CacheLease<QueryEncoders>> Encoders(int datasetId, CancellationToken cancellationToken) =>
        cache.Lease(datasetId, () =>
        {
            var encoders = QueryEncoders.Load(paths.Dataset(datasetId));
            return Task.FromResult(new Cached<QueryEncoders>(encoders, encoders.EstimatedBytes, [CacheTag.Dataset(datasetId)]));
        }, cancellationToken);

    private Cached<QueryModel> LoadModel(int runId, int datasetId)
    {
        var model = TrainedModel.Load(paths.Run(runId), torch.CPU);
        return new Cached<QueryModel>(new QueryModel(model), model.EstimatedBytes, [CacheTag.Run(runId), CacheTag.Dataset(datasetId)]);
    }

    /// <summary>A run's trained model, called by one query at a time.</summary>
    private sealed class QueryModel(TrainedModel model) : IDisposable
    {
        private readonly Lock gate = new();

        public float[] Embed(FeatureMatrix row, bool isImage)
        {
            lock (gate) return (isImage ? model.EmbedImages(row) : model.EmbedTexts(row)).Values;
        }

        public void Dispose()
        {
            lock (gate) model.Dispose();
        }
    }
}
