using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Search;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Search;

/// <summary>
/// Runs' search indexes, loaded on first use and kept in the <see cref="ResourceCache"/>. An index holds its items'
/// labels for the label filter, so it is tagged with its dataset's labels (an annotation drops it) besides its run
/// and dataset (deleting either drops it).
/// </summary>
public sealed class SearchIndexes(ResourceCache cache, IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, ApproximateIndexes approximate)
{
    /// <summary>The run's index, held until the lease is disposed.</summary>
    public Task<CacheLease<SearchIndex>> Lease(int runId, CancellationToken cancellationToken = default) =>
        cache.Lease(runId, () => Load(runId), cancellationToken);

    private async Task<Cached<SearchIndex>> Load(int runId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        int datasetId = await db.Runs.Where(r => r.Id == runId).Select(r => r.DatasetId).SingleAsync();
        var items = (await Budgets.DatabaseLabels.ItemsByRow(db, datasetId)).Select(i => new IndexedItem(i.ExternalId, i.Labels)).ToList();
        string folder = paths.Run(runId);
        // Mapped, not read: behind an HNSW graph only the rows a query rescores come into memory (README, "A million items").
        ExactIndex? images = null, texts = null;
        SearchIndex? index = null;
        try
        {
            images = ExactIndex.Open(Path.Combine(folder, ModelFiles.ImageEmbeddings));
            texts = ExactIndex.Open(Path.Combine(folder, ModelFiles.TextEmbeddings));
            index = new SearchIndex(datasetId, images, texts, items);
            approximate.Attach(runId, index);
        }
        catch
        {
            // Each closes once, whichever got made: the index closes its exact indexes too.
            index?.Dispose();
            texts?.Dispose();
            images?.Dispose();
            throw;
        }
        return new Cached<SearchIndex>(index, index.EstimatedBytes, [CacheTag.Run(runId), CacheTag.Dataset(datasetId), CacheTag.Labels(datasetId)]);
    }
}
