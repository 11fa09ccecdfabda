using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SemiCmr.Web.Auth;
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
/// Both first send the current state, so a client that arrives mid-way (or late) is never left waiting, and
/// answer true; an unknown id is a normal answer (false, nothing sent, nothing logged above debug).
/// Events are throttled to about 10 a second per run and per dataset; final events are never dropped.
/// Calls are rate-limited per connection (<see cref="HubRateLimitFilter"/>).
/// </summary>
[Authorize(Policy = Policies.ViewerOrAbove)]
public sealed class RunsHub(RunProgressBroadcaster broadcaster, IDbContextFactory<SemiCmrDb> dbFactory, ILogger<RunsHub> logger) : Hub
{
    public const string ProgressMethod = "progress";
    public const string ImportProgressMethod = "importProgress";

    public static string Group(int runId) => "run-" + runId.ToString(CultureInfo.InvariantCulture);

    public static string DatasetGroup(int datasetId) => "dataset-" + datasetId.ToString(CultureInfo.InvariantCulture);

    public async Task<bool> Watch(int runId)
    {
        // Join first, then send the current state: an event racing the join arrives twice rather than never.
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(runId));
        var current = broadcaster.Current(runId);
        if (current is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, Context.ConnectionAborted);
            if (run is null) return await NotFound(Group(runId), "run", runId);
            current = RunProgressEvent.FromRow(run);
        }
        await Clients.Caller.SendAsync(ProgressMethod, current, Context.ConnectionAborted);
        return true;
    }

    public Task Unwatch(int runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(runId));

    public async Task<bool> WatchDataset(int datasetId)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, DatasetGroup(datasetId));
        var current = broadcaster.CurrentImport(datasetId);
        if (current is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
            var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, Context.ConnectionAborted);
            if (dataset is null) return await NotFound(DatasetGroup(datasetId), "dataset", datasetId);
            current = ImportProgressEvent.FromRow(dataset);
        }
        await Clients.Caller.SendAsync(ImportProgressMethod, current, Context.ConnectionAborted);
        return true;
    }

    public Task UnwatchDataset(int datasetId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, DatasetGroup(datasetId));

    /// <summary>An unknown id is the caller's business, not the server's: leave the group, answer false, log at debug.</summary>
    private async Task<bool> NotFound(string group, string kind, int id)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
        logger.LogDebug("Hub connection {Connection} watched unknown {Kind} {Id}", Context.ConnectionId, kind, id);
        return false;
    }
}
