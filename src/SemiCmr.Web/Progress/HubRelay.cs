using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace SemiCmr.Web.Progress;

/// <summary>
/// Forwards broadcaster events (runs and imports) to the hub's groups in publish order. The queue decouples the
/// training and import threads from slow clients: publishing never waits on the network.
/// </summary>
public sealed class HubRelay(RunProgressBroadcaster broadcaster, IHubContext<RunsHub> hub, ILogger<HubRelay> logger) : BackgroundService
{
    private readonly Channel<object> queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var runs = broadcaster.SubscribeRuns(Enqueue);
        using var imports = broadcaster.SubscribeImports(Enqueue);
        await foreach (var progress in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var send = progress switch
                {
                    RunProgressEvent run => hub.Clients.Group(RunsHub.Group(run.RunId)).SendAsync(RunsHub.ProgressMethod, run, stoppingToken),
                    ImportProgressEvent import => hub.Clients.Group(RunsHub.DatasetGroup(import.DatasetId))
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

    private void Enqueue(RunProgressEvent progress) => queue.Writer.TryWrite(progress);

    private void Enqueue(ImportProgressEvent progress) => queue.Writer.TryWrite(progress);
}
