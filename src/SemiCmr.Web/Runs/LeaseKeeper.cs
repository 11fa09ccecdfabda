namespace SemiCmr.Web.Runs;

/// <summary>
/// Keeps the lease of the run a worker trains, off the training thread: every Worker:RenewSeconds it renews it and
/// cancels the training when the run was cancelled on any instance (<see cref="CancelRequested"/>) or when the lease was
/// lost (<see cref="Lost"/>: the worker was too slow and another instance gave the run back to the queue).
/// </summary>
public sealed class LeaseKeeper : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private volatile bool lost, cancelRequested;

    public LeaseKeeper(RunLeases leases, int runId, string workerId, TimeSpan renewEvery, CancellationTokenSource training, ILogger logger)
    {
        loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(renewEvery);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    LeaseRenewal renewal;
                    try
                    {
                        renewal = await leases.Renew(runId, workerId, stop.Token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The database may be back by the next tick; the lease lasts several ticks.
                        logger.LogWarning(e, "Could not renew the lease of run {RunId}", runId);
                        continue;
                    }
                    if (renewal == LeaseRenewal.Held) continue;
                    if (renewal == LeaseRenewal.Lost)
                    {
                        lost = true;
                        logger.LogWarning("Run {RunId}: the lease was lost (another instance gave the run back to the queue); stopping", runId);
                    }
                    else cancelRequested = true;
                    try { training.Cancel(); } catch (ObjectDisposedException) { }
                    return;
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    /// <summary>The run is no longer this worker's: it must not record anything about it.</summary>
    public bool Lost => lost;

    /// <summary>Someone cancelled the run (on any instance) while it trained.</summary>
    public bool CancelRequested => cancelRequested;

    public void Dispose()
    {
        stop.Cancel();
        try { loop.Wait(); } catch (AggregateException) { }
        stop.Dispose();
    }
}
