using Microsoft.AspNetCore.SignalR;

namespace SemiCmr.Web.Progress;

/// <summary>
/// Forwards broadcaster events (runs and imports, published here or delivered from another instance) to the hub's
/// groups, each run's and import's in publish order. The queue decouples the training and import threads (and the
/// cross-instance listener) from slow clients: publishing never waits on the network, and while a send is slow a run's
/// newer event replaces its older waiting one (<see cref="LatestPerKeyQueue"/>), so a burst cannot grow memory.
/// </summary>
public sealed class HubRelay(RunProgressBroadcaster broadcaster, IHubContext<RunsHub> hub, ILogger<HubRelay> logger) : BackgroundService
{
    private readonly LatestPerKeyQueue queue = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var runs = broadcaster.SubscribeRuns(run => queue.TryWrite(new ProgressUpdate(Run: run)));
        using var imports = broadcaster.SubscribeImports(import => queue.TryWrite(new ProgressUpdate(Import: import)));
        while (await queue.ReadAsync(stoppingToken) is { } progress)
        {
            try
            {
                var send = progress switch
                {
                    { Run: { } run } => hub.Clients.Group(RunsHub.Group(run.RunId)).SendAsync(RunsHub.ProgressMethod, run, stoppingToken),
                    { Import: { } import } => hub.Clients.Group(RunsHub.DatasetGroup(import.DatasetId))
                        .SendAsync(RunsHub.ImportProgressMethod, import, stoppingToken),
                    _ => Task.CompletedTask,
                };
                await send;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not relay progress {Progress}", progress);
            }
        }
    }
}
