using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SemiCmr.Cli.Common;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Worker;

/// <summary>
/// `semicmr worker`: trains the runs queued in a team deployment's PostgreSQL database, on this machine, until Ctrl+C.
/// The host is the app's own training side (<see cref="WorkerHost"/>); this command prints where it works and each
/// run it claims, its epochs and its end. Ctrl+C gives the run in hand back to the queue (queued, the attempt not counted).
/// </summary>
public sealed class WorkerCommand(IAnsiConsole console) : AsyncCommand<WorkerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, WorkerSettings settings, CancellationToken cancellationToken)
    {
        var database = new NpgsqlConnectionStringBuilder(settings.Connection);
        string data = Path.GetFullPath(settings.Data);
        var builder = WorkerHost.CreateBuilder(settings.Connection, data,
        [
            new("Training:Device", settings.Device),
            new("Training:Threads", settings.Threads.ToString(CultureInfo.InvariantCulture)),
        ]);
        // The console is this command's: the host logs only what goes wrong. A filter added last wins over
        // appsettings.json's Logging:LogLevel:Default (Information), which SetMinimumLevel would not.
        builder.Logging.AddFilter((string? _, LogLevel level) => level >= LogLevel.Warning);
        using var host = builder.Build();
        var worker = host.Services.GetRequiredService<WorkerIdentity>();
        console.MarkupLine($"Worker [bold]{worker.Id.EscapeMarkup()}[/]: PostgreSQL [bold]{database.Host.EscapeMarkup()}:{database.Port}/{(database.Database ?? "").EscapeMarkup()}[/], "
                           + $"data folder [bold]{data.EscapeMarkup()}[/].");

        var printer = new RunPrinter(console);
        using var subscription = host.Services.GetRequiredService<RunProgressBroadcaster>().SubscribeRuns(printer.Print);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException || e.InnerException is NpgsqlException)
        {
            throw new UserInputException($"The database at {database.Host}:{database.Port}/{database.Database} cannot be used: {e.Message}");
        }
        console.MarkupLine("Waiting for queued runs; Ctrl+C stops (a run in training goes back to the queue).");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) { }
        console.MarkupLine("Stopping...");
        await host.StopAsync(CancellationToken.None);
        console.MarkupLine("Stopped.");
        return 0;
    }

    /// <summary>One line when a run is claimed, one per epoch, one when it ends (the broadcaster's events, in order per run).</summary>
    private sealed class RunPrinter(IAnsiConsole console)
    {
        private readonly ConcurrentDictionary<int, (string Status, string? Stage, int Epoch)> last = new();

        public void Print(RunProgressEvent e)
        {
            var now = (e.Status, e.Stage, e.Epoch);
            var before = last.TryGetValue(e.RunId, out var seen) ? seen : default;
            if (before == now && !e.IsFinal) return;
            last[e.RunId] = now;
            if (e.Status == "running" && before.Status != "running")
                console.MarkupLine($"Claimed run [bold]{e.RunId}[/].");
            else if (e.IsFinal)
            {
                last.TryRemove(e.RunId, out _);
                string end = e.Metrics is { } m
                    ? string.Create(CultureInfo.InvariantCulture, $": MAP image->text {m.MapI2T:F4}, text->image {m.MapT2I:F4}")
                    : e.Error is { } error ? $": {error}" : "";
                console.MarkupLine($"Run [bold]{e.RunId}[/] {e.Status}{end.EscapeMarkup()}");
            }
            else if (e.Status == "queued")
                console.MarkupLine($"Run [bold]{e.RunId}[/] is back in the queue.");
            else if (e.Stage is { } stage && e.Epochs > 0 && e.Epoch != before.Epoch)
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Run {e.RunId}: {stage} epoch {e.Epoch}/{e.Epochs} ({e.Progress:P0})").EscapeMarkup());
        }
    }
}
