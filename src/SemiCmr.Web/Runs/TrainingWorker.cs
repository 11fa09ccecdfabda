using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Runtime;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Runs;

/// <summary>
/// This process's training worker (none when Worker:Enabled is false). Runs execute one at a time on a single dedicated
/// low-priority thread (TorchSharp dispose scopes are per thread, and a thread-pool thread blocked for minutes would
/// starve requests). On SQLite it reads the in-process <see cref="RunQueue"/>; on PostgreSQL it claims the oldest queued
/// run from the database (<see cref="RunLeases"/>), asking again every Worker:PollSeconds while there is none.
/// </summary>
public sealed class TrainingWorker(
    RunQueue queue, RunLeases leases, WorkerIdentity worker, RunExecutor executor, IDbContextFactory<SemiCmrDb> dbFactory,
    IOptions<TrainingHostOptions> options, IOptions<WorkerOptions> workerOptions, IOptions<DatabaseOptions> database,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    public const string ThreadName = "SemiCmr training";

    /// <summary>
    /// SQLite: recovers from the last process, the only one that trained: running runs died with it (interrupted),
    /// queued runs are queued again. PostgreSQL needs no such step (other workers may be training): a dead worker's
    /// runs come back when their lease expires (<see cref="LeaseRecovery"/>).
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!workerOptions.Value.Enabled)
        {
            logger.LogInformation("Worker:Enabled is false: this instance serves only; runs are trained by the workers");
            return;
        }
        if (!database.Value.IsPostgres)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            int interrupted = await db.Runs.Where(r => r.Status == RunStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Interrupted)
                .SetProperty(r => r.Error, "interrupted by restart")
                .SetProperty(r => r.FinishedAt, DateTime.UtcNow), cancellationToken);
            var queued = await db.Runs.Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
            foreach (var id in queued) queue.TryEnqueue(id);
            if (interrupted + queued.Count > 0)
                logger.LogInformation("{Interrupted} run(s) marked interrupted after a restart, {Queued} re-queued", interrupted, queued.Count);
        }
        else logger.LogInformation("Training worker {Worker} claims queued runs from the database", worker.Id);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundWork.Run(ThreadName, () => { Loop(stoppingToken); return true; });

    private void Loop(CancellationToken stoppingToken)
    {
        // Leave a core for requests: torch's intra-op pool is sized once, here, and its threads start from this
        // low-priority thread, so they inherit its priority (searches go first).
        try
        {
            TorchRuntime.SetThreads(options.Value.EffectiveThreads);
        }
        catch (InvalidOperationException e)
        {
            // Keep serving: each run will fail with the same readable reason.
            logger.LogError(e, "TorchSharp could not be initialised");
        }
        if (database.Value.IsPostgres) ClaimLoop(stoppingToken);
        else QueueLoop(stoppingToken);
    }

    private void QueueLoop(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!queue.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult()) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            while (!stoppingToken.IsCancellationRequested && queue.Reader.TryRead(out int runId))
                executor.Execute(runId, stoppingToken);
        }
    }

    private void ClaimLoop(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int? claimed;
            try
            {
                claimed = leases.TryClaim(worker.Id, stoppingToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be restarting: keep asking, as when idle.
                logger.LogWarning(e, "Could not claim a run from the database");
                claimed = null;
            }
            if (claimed is { } runId)
            {
                logger.LogInformation("Worker {Worker} claimed run {RunId}", worker.Id, runId);
                executor.Execute(runId, stoppingToken);
            }
            else if (stoppingToken.WaitHandle.WaitOne(workerOptions.Value.Poll)) return;
        }
    }
}
