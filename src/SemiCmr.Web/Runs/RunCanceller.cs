using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Runs;

/// <summary>
/// Cancels a run for POST /api/runs/{id}/cancel and the run page: a queued run is cancelled at once (the run answered
/// is cancelled); a running one is told to stop and ends within one batch (the run answered is still running).
/// </summary>
public sealed class RunCanceller(IDbContextFactory<SemiCmrDb> dbFactory, RunCancellations cancellations, RunProgressBroadcaster broadcaster)
{
    /// <summary>The run after the cancel, or why not (also: it is not the actor's, see <see cref="Actor.MayChange"/>).</summary>
    public async Task<Outcome<Run>> Cancel(int id, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return ServiceProblem.NotFound("id", $"Run {id}");
        if (!actor.MayChange(run.CreatedBy)) return Actor.NotYours($"Run {id}", "cancel");
        if (RunProgressEvent.IsTerminal(run.Status))
            return ServiceProblem.Conflict("id", $"Run {id} has already {RunProgressEvent.Name(run.Status)}; there is nothing to cancel.");

        // The cancel and its audit entry commit together. One conditional update decides, so it cannot race a worker's
        // claim or give-back: a queued run is cancelled at once; a running one records the request, which the worker
        // holding it sees at once in this process (RunCancellations) or when it next renews its lease (RunLeases).
        var now = DateTime.UtcNow;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            int changed = await db.Runs.Where(r => r.Id == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.FinishedAt, r => r.Status == RunStatus.Queued ? now : r.FinishedAt)
                    .SetProperty(r => r.Status, r => r.Status == RunStatus.Queued ? RunStatus.Cancelled : r.Status)
                    .SetProperty(r => r.CancelRequestedAt, now), cancellationToken);
            run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken);
            if (changed == 0)
                return ServiceProblem.Conflict("id", $"Run {id} has already {RunProgressEvent.Name(run.Status)}; there is nothing to cancel.");
            string? dataset = await db.Datasets.Where(d => d.Id == run.DatasetId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
            AuditLog.Add(db, actor, AuditSubject.Run, AuditAction.Cancelled, id, dataset,
                run.Status == RunStatus.Cancelled ? "was queued" : "was training: it stops within a batch");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (run.Status == RunStatus.Cancelled) broadcaster.Publish(RunProgressEvent.FromRow(run));
        else cancellations.Cancel(id);
        return run;
    }
}
