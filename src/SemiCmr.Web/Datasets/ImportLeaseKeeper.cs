using Microsoft.Extensions.Options;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// PostgreSQL: every Worker:RenewSeconds renews the leases of the imports this instance holds (<see cref="ImportQueue.Held"/>),
/// and every Worker:RecoverySeconds fails the imports whose instance stopped renewing theirs (<see cref="ImportLeases.RecoverExpired"/>),
/// so an import interrupted by a crash ends failed as long as any instance is up. Nothing on SQLite, where the one app
/// fails its interrupted imports when it starts (<see cref="DatasetImporter"/>).
/// </summary>
public sealed class ImportLeaseKeeper(
    ImportLeases leases, ImportQueue queue, IOptions<WorkerOptions> options, IOptions<DatabaseOptions> database, ILogger<ImportLeaseKeeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.Value.IsPostgres) return;
        await Task.WhenAll(
            Every(options.Value.Renew, "renew the leases of this instance's imports", async token =>
            {
                int[] held = queue.Held;
                int[] renewed = await leases.Renew(held, token);
                // Ended meanwhile (the importer drops it itself), or failed by another instance after a long stall.
                foreach (int lost in held.Except(renewed)) queue.Done(lost);
            }, stoppingToken),
            Every(options.Value.Recovery, "look for imports whose instance's lease expired", async token => await leases.RecoverExpired(token), stoppingToken));
    }

    private async Task Every(TimeSpan period, string what, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await work(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be back by the next tick; a lease lasts several renewals.
                    logger.LogWarning(e, "Could not {What}", what);
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
