using Microsoft.Extensions.Options;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Runs;

/// <summary>
/// PostgreSQL: every instance, serving or training, puts back the runs whose worker stopped renewing its lease
/// (<see cref="RunLeases.RecoverExpired"/>) every Worker:RecoverySeconds, so a run survives its worker as long as any
/// instance is up. Several instances doing it at once is safe: the update is conditional on the expired lease.
/// </summary>
public sealed class LeaseRecovery(RunLeases leases, IOptions<WorkerOptions> options, IOptions<DatabaseOptions> database, ILogger<LeaseRecovery> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.Value.IsPostgres) return;
        using var timer = new PeriodicTimer(options.Value.Recovery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await leases.RecoverExpired(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not look for runs whose worker's lease expired");
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
