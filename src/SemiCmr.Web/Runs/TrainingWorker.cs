using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Runtime;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Runs;

/// <summary>
/// The one training worker. Runs execute in queue order on a single dedicated low-priority thread (TorchSharp
/// dispose scopes are per thread, and a thread-pool thread blocked for minutes would starve requests).
/// </summary>
public sealed class TrainingWorker(
    RunQueue queue, RunExecutor executor, IDbContextFactory<SemiCmrDb> dbFactory,
    IOptions<TrainingHostOptions> options, ILogger<TrainingWorker> logger) : BackgroundService
{
    public const string ThreadName = "SemiCmr training";

    /// <summary>Recovers from the last process: running runs died with it, queued runs are queued again.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        int interrupted = await db.Runs.Where(r => r.Status == RunStatus.Running).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, RunStatus.Failed)
            .SetProperty(r => r.Error, "interrupted by restart")
            .SetProperty(r => r.FinishedAt, DateTime.UtcNow), cancellationToken);
        var queued = await db.Runs.Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in queued) queue.TryEnqueue(id);
        if (interrupted + queued.Count > 0)
            logger.LogInformation("{Interrupted} run(s) marked failed after a restart, {Queued} re-queued", interrupted, queued.Count);
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
}
