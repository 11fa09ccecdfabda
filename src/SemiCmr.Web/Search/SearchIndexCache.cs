using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Search;

/// <summary>
/// Loads a run's index on first use and keeps the most recently used few (Search:CachedIndexes). An index holds its
/// items' labels for the label filter, so editing a dataset's labels evicts its runs' indexes (<see cref="EvictDataset"/>).
/// </summary>
public sealed class SearchIndexCache(IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, IOptions<SearchOptions> options, ApproximateIndexes approximate)
{
    private readonly Lock gate = new();
    private readonly LinkedList<(int RunId, Lazy<Task<SearchIndex>> Index)> recent = new();

    public Task<SearchIndex> Get(int runId)
    {
        lock (gate)
        {
            var node = recent.First;
            while (node is not null && node.Value.RunId != runId) node = node.Next;
            if (node is not null)
            {
                recent.Remove(node);
                recent.AddFirst(node);
                return node.Value.Index.Value;
            }
            var lazy = new Lazy<Task<SearchIndex>>(() => Task.Run(() => Load(runId)));
            recent.AddFirst((runId, lazy));
            while (recent.Count > options.Value.CachedIndexes) recent.RemoveLast();
            return lazy.Value;
        }
    }

    public void Evict(IEnumerable<int> runIds)
    {
        var ids = runIds.ToHashSet();
        lock (gate)
        {
            for (var node = recent.First; node is not null;)
            {
                var next = node.Next;
                if (ids.Contains(node.Value.RunId)) recent.Remove(node);
                node = next;
            }
        }
    }

    /// <summary>Forgets every index of the dataset's runs, loaded or loading: their labels are out of date.</summary>
    public void EvictDataset(int datasetId)
    {
        lock (gate)
        {
            for (var node = recent.First; node is not null;)
            {
                var next = node.Next;
                var loading = node.Value.Index.Value;
                if (!loading.IsCompletedSuccessfully || loading.Result.DatasetId == datasetId) recent.Remove(node);
                node = next;
            }
        }
    }

    private async Task<SearchIndex> Load(int runId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            int datasetId = await db.Runs.Where(r => r.Id == runId).Select(r => r.DatasetId).SingleAsync();
            var items = (await Budgets.DatabaseLabels.ItemsByRow(db, datasetId)).Select(i => new IndexedItem(i.ExternalId, i.Labels)).ToList();
            string folder = paths.Run(runId);
            var index = new SearchIndex(datasetId, Npy.Read(Path.Combine(folder, "image_embeddings.npy")), Npy.Read(Path.Combine(folder, "text_embeddings.npy")), items);
            approximate.Attach(runId, index);
            return index;
        }
        catch
        {
            Evict([runId]); // a failed load is not cached: the next search tries again
            throw;
        }
    }
}
