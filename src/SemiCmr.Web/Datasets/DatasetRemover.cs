using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// Removes a dataset with everything hanging off it: items, budgets, runs, run folders, files and what the cache made
/// of them (indexes, models, encoders, reports). All or nothing: a refused delete changes nothing, an accepted one
/// leaves neither rows nor files, and its audit entry (written in the delete's transaction).
/// </summary>
public sealed class DatasetRemover(IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, ResourceCache cache,
    IFolderMover mover, RunVectorStore vectors, ILogger<DatasetRemover> logger)
{
    /// <summary>Null once the dataset is gone, or why nothing was removed (also: it is not the actor's, see <see cref="Actor.MayChange"/>).</summary>
    public async Task<ServiceProblem?> Remove(int id, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataset is null) return ServiceProblem.NotFound("id", $"Dataset {id}");
        if (!actor.MayChange(dataset.CreatedBy)) return Actor.NotYours($"Dataset {id}", "delete");
        if (dataset.Status == DatasetStatus.Importing) return ServiceProblem.Conflict("id", $"Dataset {id} is still importing; delete it when the import has finished.");
        if (await db.Runs.AnyAsync(r => r.DatasetId == id && r.Status == RunStatus.Running, cancellationToken)) return RunInProgress(id);

        // The first write takes SQLite's write lock until commit, so the worker cannot start a queued run (a
        // conditional write) between the check below and the delete; a refusal rolls the cancellations back.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Runs.Where(r => r.DatasetId == id && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, DateTime.UtcNow), cancellationToken);
        if (await db.Runs.AnyAsync(r => r.DatasetId == id && r.Status == RunStatus.Running, cancellationToken)) return RunInProgress(id);

        var runIds = await db.Runs.Where(r => r.DatasetId == id).Select(r => r.Id).ToListAsync(cancellationToken);
        if (MoveAside([.. runIds.Select(paths.Run), paths.Dataset(id)], id) is not { } moved)
            return ServiceProblem.Field(ProblemKind.Failed, "id",
                $"The files of dataset {id} could not be moved aside for deletion (see the server log); nothing was deleted. Try again.");
        try
        {
            await db.Datasets.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken); // items, budgets, runs, epochs cascade
            AuditLog.Add(db, actor, AuditSubject.Dataset, AuditAction.Deleted, id, dataset.Name,
                runIds.Count == 0 ? null : $"with its {runIds.Count} run{(runIds.Count == 1 ? "" : "s")}");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            PutBack(moved);
            throw;
        }

        cache.Invalidate(CacheTag.Dataset(id)); // every entry of its runs carries the dataset's tag too
        await vectors.DropIndexes(runIds); // PostgreSQL: the runs' vectors went with their rows; their indexes go now
        foreach (var (_, aside) in moved)
        {
            try { DatasetImporter.DeleteFolder(aside); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Could not delete {Folder} of removed dataset {Id}; it is retried at the next start", aside, id);
            }
        }
        return null;
    }

    private static ServiceProblem RunInProgress(int id) => ServiceProblem.Conflict("id", $"Dataset {id} has a running run; cancel it first. Nothing was deleted.");

    /// <summary>Renames each existing folder to its .deleting name; on a failure puts back those already moved and returns null.</summary>
    private List<(string Folder, string Aside)>? MoveAside(IEnumerable<string> folders, int id)
    {
        var moved = new List<(string, string)>();
        foreach (var folder in folders.Where(Directory.Exists))
        {
            try
            {
                moved.Add((folder, mover.MoveAside(folder)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Dataset {Id} was not deleted: {Folder} could not be moved aside", id, folder);
                PutBack(moved);
                return null;
            }
        }
        return moved;
    }

    private void PutBack(List<(string Folder, string Aside)> moved)
    {
        foreach (var (folder, aside) in Enumerable.Reverse(moved)) mover.Move(aside, folder);
    }
}
