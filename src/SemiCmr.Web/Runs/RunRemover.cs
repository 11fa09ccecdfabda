using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Runs;

/// <summary>
/// Deletes one run for DELETE /api/runs/{id} and the run pages: its folder first, then its rows (epochs cascade), so a
/// failure leaves either the whole run or none of its files' names. A queued run is cancelled first; a running one is
/// refused (the user cancels it and waits for it to stop).
/// </summary>
public sealed class RunRemover(IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, IFolderMover mover, ResourceCache cache,
    RunProgressBroadcaster broadcaster, RunVectorStore vectors, ILogger<RunRemover> logger)
{
    /// <summary>Null once the run is gone, or why it was kept (also: it is not the actor's, see <see cref="Actor.MayChange"/>).</summary>
    public async Task<ServiceProblem?> Delete(int id, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await db.Runs.Where(r => r.Id == id).Select(r => new { r.CreatedBy }).FirstOrDefaultAsync(cancellationToken);
        if (owner is null) return ServiceProblem.NotFound("id", $"Run {id}");
        if (!actor.MayChange(owner.CreatedBy)) return Actor.NotYours($"Run {id}", "delete");
        // The worker starts only a run still queued, so once cancelled here it cannot start between the check and the delete.
        if (await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, DateTime.UtcNow), cancellationToken) == 1)
            broadcaster.Publish(RunProgressEvent.FromRow(await db.Runs.AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken)));
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return ServiceProblem.NotFound("id", $"Run {id}");
        if (run.Status == RunStatus.Running)
            return ServiceProblem.Conflict("id", $"Run {id} is training; cancel it and wait for it to stop before deleting it.");

        // Cached indexes, models and reports were made from the run's files: drop them before the files go.
        cache.Invalidate(CacheTag.Run(id));
        string folder = paths.Run(id);
        string? aside;
        try
        {
            aside = Directory.Exists(folder) ? mover.MoveAside(folder) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "The folder of run {RunId} could not be moved aside; the run is kept", id);
            return ServiceProblem.Field(ProblemKind.Failed, "id", $"The files of run {id} could not be removed, so the run was kept; try again later.");
        }
        try
        {
            // The rows and the audit entry go together; a failure puts the folder back, so the run stays whole.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Runs.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken);
            string? dataset = await db.Datasets.Where(d => d.Id == run.DatasetId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
            AuditLog.Add(db, actor, AuditSubject.Run, AuditAction.Deleted, id, dataset, $"{run.Method.ToName()}, {RunProgressEvent.Name(run.Status)}");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch when (aside is not null)
        {
            mover.Move(aside, folder);
            throw;
        }
        await vectors.DropIndexes([id]); // PostgreSQL: its vectors went with the row; its indexes go now
        try
        {
            if (aside is not null) DatasetImporter.DeleteFolder(aside);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not delete {Folder} of removed run {RunId}; it is retried at the next start", aside, id);
        }
        return null;
    }
}
