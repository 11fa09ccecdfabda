using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace SemiCmr.Web.Progress;

/// <summary>
/// Forwards broadcaster events to the hub's groups in publish order. The queue decouples the training thread
/// from slow clients: publishing never waits on the network.
/// </summary>
public sealed class HubRelay(RunProgressBroadcaster broadcaster, IHubContext<RunsHub> hub, ILogger<HubRelay> logger) : BackgroundService
{
    private readonly Channel<RunProgressEvent> queue = Channel.CreateUnbounded<RunProgressEvent>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        broadcaster.Published += Enqueue;
        try
        {
            await foreach (var progress in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await hub.Clients.Group(RunsHub.Group(progress.RunId)).SendAsync(RunsHub.ProgressMethod, progress, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not relay progress of run {RunId}", progress.RunId);
                }
            }
        }
        finally
        {
            broadcaster.Published -= Enqueue;
        }
    }

    private void Enqueue(RunProgressEvent progress) => queue.Writer.TryWrite(progress);
}
