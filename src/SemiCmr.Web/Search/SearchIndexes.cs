using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Search;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Search;

/// <summary>
/// Runs' search indexes, loaded on first use and kept in the <see cref="ResourceCache"/>. An index holds its items'
/// labels for the label filter, so it is tagged with its dataset's labels (an annotation drops it) besides its run
/// and dataset (deleting either drops it). On PostgreSQL a run is searched there instead (<see cref="PgvectorRunIndex"/>,
/// which holds no labels: its filter reads ItemLabels).
/// </summary>
public sealed class SearchIndexes(ResourceCache cache, IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, ApproximateIndexes approximate,
    RunVectorStore vectors, IOptions<SearchOptions> options)
{
    /// <summary>
    /// What a search ranks the run through, held until the lease is disposed: PostgreSQL's vectors on PostgreSQL, the
    /// in-process index otherwise. Throws InvalidDataException (or an I/O exception) when the run's vectors are missing.
    /// </summary>
    public async Task<(IRunIndex Index, IDisposable Lease)> LeaseForSearch(int runId, CancellationToken cancellationToken = default)
    {
        if (vectors.InUse)
        {
            var pgvector = await cache.Lease(runId, () => OpenPgvector(runId), cancellationToken);
            return (pgvector.Value, pgvector);
        }
        var index = await Lease(runId, cancellationToken);
        return (index.Value, index);
    }

    private async Task<Cached<PgvectorRunIndex>> OpenPgvector(int runId)
    {
        var index = await PgvectorRunIndex.Open(vectors, dbFactory, runId, options.Value.HnswExpansion)
            ?? throw new InvalidDataException($"Run {runId} has no vectors in PostgreSQL.");
        // A few fields: its weight is nothing beside an in-process index.
        return new Cached<PgvectorRunIndex>(index, 256, [CacheTag.Run(runId), CacheTag.Dataset(index.DatasetId)]);
    }

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
            var order = SearchIndex.ShortlistOrder(items);
            images = ExactIndex.Open(Path.Combine(folder, ModelFiles.ImageEmbeddings), order);
            texts = ExactIndex.Open(Path.Combine(folder, ModelFiles.TextEmbeddings), order);
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
