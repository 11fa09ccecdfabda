using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Progress;

/// <summary>
/// /hubs/runs, live progress for clients outside the page (scripts, the CLI, tests).
/// <list type="bullet">
/// <item><c>Watch(runId)</c> subscribes the caller to <c>"progress"</c> events of that run (<see cref="RunProgressEvent"/>).</item>
/// <item><c>WatchDataset(datasetId)</c> subscribes the caller to <c>"importProgress"</c> events of that dataset's import
/// (<see cref="ImportProgressEvent"/>: phase, done, total, itemsPerSecond, secondsLeft; the last one has isFinal with
/// status ready or failed).</item>
/// </list>
/// Both first send the current state, so a client that arrives mid-way (or late) is never left waiting.
/// Events are throttled to about 10 a second per run and per dataset; final events are never dropped.
/// </summary>
public sealed class RunsHub(RunProgressBroadcaster broadcaster, IDbContextFactory<SemiCmrDb> dbFactory) : Hub
{
    public const string ProgressMethod = "progress";
    public const string ImportProgressMethod = "importProgress";

    public static string Group(int runId) => "run-" + runId.ToString(CultureInfo.InvariantCulture);

    public static string DatasetGroup(int datasetId) => "dataset-" + datasetId.ToString(CultureInfo.InvariantCulture);

    public async Task Watch(int runId)
    {
        // Join first, then send the current state: an event racing the join arrives twice rather than never.
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(runId));
        var current = broadcaster.Current(runId);
        if (current is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, Context.ConnectionAborted)
                ?? throw new HubException($"Run {runId} was not found.");
            current = RunProgressEvent.FromRow(run);
        }
        await Clients.Caller.SendAsync(ProgressMethod, current, Context.ConnectionAborted);
    }

    public Task Unwatch(int runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(runId));

    public async Task WatchDataset(int datasetId)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, DatasetGroup(datasetId));
        var current = broadcaster.CurrentImport(datasetId);
        if (current is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
            var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, Context.ConnectionAborted)
                ?? throw new HubException($"Dataset {datasetId} was not found.");
            current = ImportProgressEvent.FromRow(dataset);
        }
        await Clients.Caller.SendAsync(ImportProgressMethod, current, Context.ConnectionAborted);
    }

    public Task UnwatchDataset(int datasetId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, DatasetGroup(datasetId));
}
