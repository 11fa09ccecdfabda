using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// PostgreSQL only: imports run on the instance that received them (its <see cref="ImportQueue"/>), while several
/// instances share the database and the data folder, so no instance may take an Importing dataset for an interrupted
/// one just because it is not its own. Each dataset being imported carries a lease (<see cref="Dataset.ImportLeaseExpiresAt"/>,
/// the database's clock, as <c>Runs.RunLeases</c> does for runs) that its instance renews; once the lease has passed
/// (the instance was killed or hangs), any instance marks the dataset failed and removes what the import wrote. Every
/// statement is conditional on the row's state, so several instances may run them at once.
/// </summary>
public sealed class ImportLeases(
    IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, IOptions<WorkerOptions> options, RunProgressBroadcaster broadcaster,
    TimeProvider time, ILogger<ImportLeases> logger)
{
    public const string InterruptedError = "interrupted: the instance importing it stopped";

    /// <summary>Extends the leases of the imports this instance holds; answers the ones still importing.</summary>
    public async Task<int[]> Renew(int[] datasetIds, CancellationToken cancellationToken = default)
    {
        if (datasetIds.Length == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var renewed = await db.Database.SqlQuery<int>($"""
            UPDATE "Datasets" SET "ImportLeaseExpiresAt" = now() + {options.Value.Lease}
            WHERE "Id" = ANY({datasetIds}) AND "Status" = 'Importing'
            RETURNING "Id" AS "Value"
            """).ToListAsync(cancellationToken);
        return [.. renewed];
    }

    /// <summary>
    /// Imports whose lease expired: failed with <see cref="InterruptedError"/>, their item rows and their folders
    /// (staging, extracted source, dataset) removed, as a restart does on SQLite. One statement picks them, so an instance
    /// running it at the same time as another finds them already failed and leaves them.
    /// </summary>
    public async Task<int[]> RecoverExpired(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var recovered = await db.Database.SqlQuery<int>($"""
            UPDATE "Datasets" SET "Status" = 'Failed', "Error" = {InterruptedError}, "ImportLeaseExpiresAt" = NULL
            WHERE "Status" = 'Importing' AND "ImportLeaseExpiresAt" < now()
            RETURNING "Id" AS "Value"
            """).ToListAsync(cancellationToken);
        foreach (int id in recovered)
        {
            await DatasetImporter.RemoveWhatTheImportWrote(db, paths, id, cancellationToken);
            new ImportProgressRelay(id, broadcaster, time).Finish("failed", 0, 0, InterruptedError);
        }
        if (recovered.Count > 0)
            logger.LogWarning("{Count} import(s) lost their instance (lease expired) and failed: dataset(s) {Ids}", recovered.Count, string.Join(", ", recovered));
        return [.. recovered];
    }
}
