using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Runs;

/// <summary>What a worker learns when it renews the lease on the run it trains.</summary>
public enum LeaseRenewal { Held, CancelRequested, Lost }

/// <summary>
/// The queue in the database, PostgreSQL only (on SQLite the one app trains from <see cref="RunQueue"/>). A worker claims
/// the oldest queued run under <c>FOR UPDATE SKIP LOCKED</c>, so two workers never get the same run and neither waits for
/// the other, and holds it with a lease it renews while training. Lease times are the database's clock
/// (<c>now()</c>), so workers on machines whose clocks disagree still agree on when a lease ends. Every statement that
/// changes a run is conditional on its state (and its worker), so any number of instances may run them at once.
/// EpochMetrics: a claim deletes the ones an earlier attempt wrote, since a retried run trains again from the start;
/// a run that ends interrupted keeps its last attempt's.
/// </summary>
public sealed class RunLeases(
    IDbContextFactory<SemiCmrDb> dbFactory, IOptions<WorkerOptions> options, RunProgressBroadcaster broadcaster, ILogger<RunLeases> logger)
{
    /// <summary>The run this worker now holds (Running, its lease started, one more attempt), or null when none is queued.</summary>
    public async Task<int?> TryClaim(string workerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var next = await db.Database.SqlQuery<int>($"""
            SELECT "Id" AS "Value" FROM "Runs" WHERE "Status" = 'Queued' ORDER BY "Id" LIMIT 1 FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        if (next.Count == 0) return null;
        int id = next[0];
        var started = DateTime.UtcNow;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE "Runs" SET "Status" = 'Running', "WorkerId" = {workerId}, "LeaseExpiresAt" = now() + {options.Value.Lease},
                "Attempts" = "Attempts" + 1, "StartedAt" = {started}, "Stage" = NULL, "Epoch" = 0, "Progress" = 0, "Error" = NULL
            WHERE "Id" = {id}
            """, cancellationToken);
        await db.EpochMetrics.Where(m => m.RunId == id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Extends the lease of a run this worker holds; says whether it was cancelled meanwhile, or is no longer ours.</summary>
    public async Task<LeaseRenewal> Renew(int runId, string workerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cancelRequested = await db.Database.SqlQuery<bool>($"""
            UPDATE "Runs" SET "LeaseExpiresAt" = now() + {options.Value.Lease}
            WHERE "Id" = {runId} AND "WorkerId" = {workerId} AND "Status" = 'Running'
            RETURNING "CancelRequestedAt" IS NOT NULL AS "Value"
            """).ToListAsync(cancellationToken);
        return cancelRequested switch
        {
            [] => LeaseRenewal.Lost,
            [true] => LeaseRenewal.CancelRequested,
            _ => LeaseRenewal.Held,
        };
    }

    /// <summary>
    /// A worker that stops (Ctrl+C, shutdown) gives its run back: queued again as if never started, the attempt not
    /// counted; cancelled instead when a cancel was asked for meanwhile. False when the run was no longer this worker's.
    /// </summary>
    public async Task<bool> GiveBack(int runId, string workerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = DateTime.UtcNow;
        int changed = await db.Database.ExecuteSqlAsync($"""
            UPDATE "Runs" SET "Status" = CASE WHEN "CancelRequestedAt" IS NULL THEN 'Queued' ELSE 'Cancelled' END,
                "FinishedAt" = CASE WHEN "CancelRequestedAt" IS NULL THEN NULL ELSE {now} END,
                "WorkerId" = NULL, "LeaseExpiresAt" = NULL, "Attempts" = "Attempts" - 1, "StartedAt" = NULL,
                "Stage" = NULL, "Epoch" = 0, "Progress" = 0
            WHERE "Id" = {runId} AND "WorkerId" = {workerId} AND "Status" = 'Running'
            """, cancellationToken);
        if (changed == 1) await Publish(db, [runId], cancellationToken);
        return changed == 1;
    }

    /// <summary>
    /// Runs whose lease expired (their worker died or hangs): queued again, or interrupted once they have had
    /// Worker:MaxAttempts attempts, or cancelled when a cancel was asked for. One statement: an instance that runs it at
    /// the same time as another finds the rows already changed and leaves them.
    /// </summary>
    public async Task<(int Requeued, int Interrupted)> RecoverExpired(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        int max = options.Value.MaxAttempts;
        var now = DateTime.UtcNow;
        var recovered = await db.Database.SqlQuery<RecoveredRun>($"""
            UPDATE "Runs" SET
                "Status" = CASE WHEN "CancelRequestedAt" IS NOT NULL THEN 'Cancelled' WHEN "Attempts" >= {max} THEN 'Interrupted' ELSE 'Queued' END,
                "Error" = CASE WHEN "CancelRequestedAt" IS NULL AND "Attempts" >= {max}
                    THEN 'its worker stopped renewing its lease on each of its ' || "Attempts" || ' attempts (Worker:MaxAttempts is ' || {max} || ')'
                    ELSE NULL END,
                "FinishedAt" = CASE WHEN "CancelRequestedAt" IS NOT NULL OR "Attempts" >= {max} THEN {now} ELSE NULL END,
                "Stage" = CASE WHEN "CancelRequestedAt" IS NULL AND "Attempts" < {max} THEN NULL ELSE "Stage" END,
                "Epoch" = CASE WHEN "CancelRequestedAt" IS NULL AND "Attempts" < {max} THEN 0 ELSE "Epoch" END,
                "Progress" = CASE WHEN "CancelRequestedAt" IS NULL AND "Attempts" < {max} THEN 0 ELSE "Progress" END,
                "WorkerId" = NULL, "LeaseExpiresAt" = NULL
            WHERE "Status" = 'Running' AND "LeaseExpiresAt" < now()
            RETURNING "Id", "Status"
            """).ToListAsync(cancellationToken);
        if (recovered.Count == 0) return (0, 0);
        await Publish(db, [.. recovered.Select(r => r.Id)], cancellationToken);
        int requeued = recovered.Count(r => r.Status == nameof(RunStatus.Queued));
        int interrupted = recovered.Count(r => r.Status == nameof(RunStatus.Interrupted));
        logger.LogWarning("{Count} run(s) lost their worker (lease expired): {Requeued} queued again, {Interrupted} interrupted after {Max} attempts, {Cancelled} cancelled",
            recovered.Count, requeued, interrupted, max, recovered.Count - requeued - interrupted);
        return (requeued, interrupted);
    }

    private async Task Publish(SemiCmrDb db, int[] runIds, CancellationToken cancellationToken)
    {
        foreach (var run in await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id)).ToListAsync(cancellationToken))
            broadcaster.Publish(RunProgressEvent.FromRow(run));
    }

    private sealed record RecoveredRun(int Id, string Status);
}
