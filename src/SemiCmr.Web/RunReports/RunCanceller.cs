using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.RunReports;

public enum CancelOutcome { NotFound, AlreadyFinished, Cancelled, Stopping }

/// <summary>
/// Cancels a run for POST /api/runs/{id}/cancel and the run page: a queued run is cancelled at once; a running one is
/// told to stop and ends within one batch.
/// </summary>
public sealed class RunCanceller(IDbContextFactory<SemiCmrDb> dbFactory, RunCancellations cancellations, RunProgressBroadcaster broadcaster)
{
    public async Task<(CancelOutcome Outcome, Run? Run)> Cancel(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return (CancelOutcome.NotFound, null);
        if (RunProgressEvent.IsTerminal(run.Status)) return (CancelOutcome.AlreadyFinished, run);

        int cancelledQueued = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, DateTime.UtcNow), cancellationToken);
        if (cancelledQueued == 0) cancellations.Cancel(id);
        run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken);
        if (cancelledQueued == 1) broadcaster.Publish(RunProgressEvent.FromRow(run));
        return (cancelledQueued == 1 ? CancelOutcome.Cancelled : CancelOutcome.Stopping, run);
    }
}
