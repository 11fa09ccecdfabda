using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Datasets;

/// <summary>Removes a dataset with everything hanging off it: items, budgets, runs, run folders, files and cached query models.</summary>
public sealed class DatasetRemover(IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, SearchIndexCache searchIndexes, QueryModels queryModels,
    RunProgressBroadcaster broadcaster)
{
    public enum Outcome { Removed, NotFound, Importing, RunInProgress }

    public async Task<Outcome> Remove(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataset is null) return Outcome.NotFound;
        if (dataset.Status == DatasetStatus.Importing) return Outcome.Importing;
        // Cancel the queued runs first: the worker only starts a run still queued, so none can start between the
        // check for a running one and the delete.
        var cancelledAt = DateTime.UtcNow;
        int cancelled = await db.Runs.Where(r => r.DatasetId == id && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, cancelledAt), cancellationToken);
        if (await db.Runs.AnyAsync(r => r.DatasetId == id && r.Status == RunStatus.Running, cancellationToken))
        {
            // The dataset stays, so watchers of the runs just cancelled hear their end.
            if (cancelled > 0)
                foreach (var run in await db.Runs.AsNoTracking()
                    .Where(r => r.DatasetId == id && r.Status == RunStatus.Cancelled && r.FinishedAt == cancelledAt).ToListAsync(cancellationToken))
                    broadcaster.Publish(RunProgressEvent.FromRow(run));
            return Outcome.RunInProgress;
        }

        var runIds = await db.Runs.Where(r => r.DatasetId == id).Select(r => r.Id).ToListAsync(cancellationToken);
        await db.Datasets.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken); // items, budgets, runs, epochs cascade

        searchIndexes.Evict(runIds);
        queryModels.Evict(id, runIds);
        foreach (var runId in runIds) DatasetImporter.DeleteFolder(paths.Run(runId));
        DatasetImporter.DeleteFolder(paths.Dataset(id));
        return Outcome.Removed;
    }
}
