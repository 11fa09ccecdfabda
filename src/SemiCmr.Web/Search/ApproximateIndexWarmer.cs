using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Search;

/// <summary>
/// When a run above Search:ApproximateAbove succeeds, loads its index so the HNSW build starts in the background
/// right away instead of at the first search.
/// </summary>
public sealed class ApproximateIndexWarmer(RunProgressBroadcaster broadcaster, IDbContextFactory<SemiCmrDb> dbFactory, SearchIndexes indexes,
    ApproximateIndexes approximate, RunVectorStore vectors, ILogger<ApproximateIndexWarmer> logger) : IHostedService
{
    private static readonly string Succeeded = RunProgressEvent.Name(RunStatus.Succeeded);

    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = broadcaster.SubscribeRuns(OnPublished);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        subscription?.Dispose();
        return Task.CompletedTask;
    }

    private void OnPublished(RunProgressEvent progress)
    {
        // On PostgreSQL the run's HNSW indexes were built before it succeeded (RunVectorWriter).
        if (progress.IsFinal && progress.Status == Succeeded && !vectors.InUse) _ = Task.Run(() => Warm(progress.RunId));
    }

    private async Task Warm(int runId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            int items = await db.Runs.Where(r => r.Id == runId).Select(r => r.Dataset!.ItemCount).SingleAsync();
            if (!approximate.Wanted(items)) return;
            // Released at once: loading starts the build, and the index stays cached for the first search.
            using var lease = await indexes.Lease(runId);
        }
        catch (Exception e)
        {
            // Only a head start is lost: the first search loads the index and starts the build.
            logger.LogWarning(e, "The search index of run {RunId} could not be loaded after the run", runId);
        }
    }
}
