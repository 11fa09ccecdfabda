using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Progress;

/// <summary>/hubs/runs: Watch(runId) subscribes the caller to "progress" events of that run.</summary>
public sealed class RunsHub(RunProgressBroadcaster broadcaster, IDbContextFactory<SemiCmrDb> dbFactory) : Hub
{
    public const string ProgressMethod = "progress";

    public static string Group(int runId) => "run-" + runId.ToString(CultureInfo.InvariantCulture);

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
}
