using System.Diagnostics;
using System.Globalization;
using SemiCmr.Cli.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

/// <summary>
/// `semicmr perf search-load`: search latency on a running app as users see it, idle and while an import runs.
/// Bursts of --clients searches are sent at once (a team pressing search together), a pause between bursts;
/// every search is timed from request to full response.
/// </summary>
public sealed class SearchLoadCommand(IAnsiConsole console) : AsyncCommand<SearchLoadSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SearchLoadSettings settings, CancellationToken cancellationToken)
    {
        using var server = settings.Connect();
        var run = await server.FindRun(settings.Run, cancellationToken);
        // At least 100 different queries, taken in turn burst after burst, so that one search alone is not one query repeated.
        var queries = new QueryRotation(await server.Queries(run, Math.Max(settings.Clients, 100),
            settings.By.Equals("text", StringComparison.OrdinalIgnoreCase), cancellationToken), settings.Clients, settings.Labels);
        console.MarkupLine($"Searching run [bold]{run.Id}[/] on {settings.Server.EscapeMarkup()} by {(queries.ByText ? "text" : "item")}{(settings.Labels.Length > 0 ? $" with the label filter {string.Join(", ", settings.Labels).EscapeMarkup()}" : "")}, " +
            $"{settings.Clients} searches at once, {settings.PauseMilliseconds} ms between bursts.");
        // One search first, which says why when the server refuses (an unknown label, say), then a burst that loads the
        // index and model: neither is measured.
        var first = queries.Next()[0];
        await server.Search(run.Id, first.Text, first.ItemId, new SemiCmrServer.SearchRequest(null, 10, 0, settings.Labels), cancellationToken);
        await Burst(server, run.Id, queries, new LatencySample(), cancellationToken);

        var idle = new LatencySample();
        var underImport = new LatencySample();
        ImportOutcome? import = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var idleTask = progress.AddTask("idle searches", maxValue: settings.IdleSeconds);
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed.TotalSeconds < settings.IdleSeconds)
                {
                    await Burst(server, run.Id, queries, idle, cancellationToken);
                    idleTask.Value = Math.Min(settings.IdleSeconds, clock.Elapsed.TotalSeconds);
                    idleTask.Description = $"idle searches: {idle.Count}, p95 {Ms(idle.Percentile(95))}";
                    await Task.Delay(settings.PauseMilliseconds, cancellationToken);
                }
                idleTask.Value = settings.IdleSeconds;
                if (settings.Import is { } folder)
                    import = await MeasureDuringImport(server, run.Id, queries, folder, settings, underImport, progress.AddTask("import").IsIndeterminate(), cancellationToken);
            });

        var table = new Table().AddColumns("phase", "searches", "errors", "p50", "p95", "p99", "max");
        foreach (var (phase, sample) in new[] { ("idle", idle), ("during import", underImport) }.Where(p => p.Item2.Count + p.Item2.Errors > 0))
            table.AddRow(phase, sample.Count.ToString(CultureInfo.InvariantCulture), sample.Errors.ToString(CultureInfo.InvariantCulture),
                Ms(sample.Percentile(50)), Ms(sample.Percentile(95)), Ms(sample.Percentile(99)), Ms(sample.Percentile(100)));
        console.Write(table);
        if (idle.RateLimited + underImport.RateLimited is > 0 and int limited)
            console.MarkupLine($"[yellow]{limited} of the errors are searches the server refused with 429 (its search limit per user, RateLimits:Search): " +
                "start it with RateLimits__Search__PermitLimit=0 (no limit) to measure search rather than the limit.[/]");
        if (import is { } outcome)
            console.MarkupLine($"Import: {outcome.Status.EscapeMarkup()}, {outcome.Items} items in {outcome.Seconds:0.0} s" +
                (outcome.Error is null ? "" : $" ({outcome.Error.EscapeMarkup()})") +
                (outcome.Deleted ? "; the dataset was deleted afterwards." : "; the dataset could not be deleted: delete it on the server."));
        return import is { Status: not "ready" } ? ErrorHandler.Failure : 0;
    }

    private sealed record ImportOutcome(string Status, int Items, double Seconds, string? Error, bool Deleted = false);

    private static async Task<ImportOutcome> MeasureDuringImport(SemiCmrServer server, int runId, QueryRotation queries,
        string folder, SearchLoadSettings settings, LatencySample sample, ProgressTask task, CancellationToken cancellationToken)
    {
        string name = $"search-load {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}";
        int datasetId = await server.ImportFolder(name, folder, settings.TextEncoder.ToLowerInvariant(), cancellationToken);
        var clock = Stopwatch.StartNew();
        ImportOutcome? outcome = null;
        try
        {
            while (outcome is null)
            {
                var (status, items, error) = await server.Dataset(datasetId, cancellationToken);
                if (status != "importing") { outcome = new ImportOutcome(status, items, clock.Elapsed.TotalSeconds, error); break; }
                if (clock.Elapsed.TotalSeconds > settings.TimeoutSeconds)
                    throw new UserInputException($"The import of {folder} has not finished after {settings.TimeoutSeconds} s (--timeout).");
                await Burst(server, runId, queries, sample, cancellationToken);
                task.Description = $"importing: {sample.Count} searches, p95 {Ms(sample.Percentile(95))}";
                await Task.Delay(settings.PauseMilliseconds, cancellationToken);
            }
        }
        finally
        {
            task.StopTask();
            // Best effort with its own time limit: a cancelled measurement still removes what it created.
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await server.DeleteDataset(datasetId, cleanup.Token);
                outcome = outcome is null ? null : outcome with { Deleted = true };
            }
            catch (Exception e) when (e is UserInputException or OperationCanceledException) { }
        }
        return outcome!; // the loop ends with an outcome or an exception
    }

    private static async Task Burst(SemiCmrServer server, int runId, QueryRotation queries, LatencySample sample, CancellationToken cancellationToken)
    {
        await Task.WhenAll(queries.Next().Select(async query =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await server.Search(runId, query, cancellationToken, queries.Labels);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                if (response.IsSuccessStatusCode) sample.Add(clock.Elapsed.TotalMilliseconds);
                else if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests) sample.AddRateLimited();
                else sample.AddError();
            }
            catch (HttpRequestException) { sample.AddError(); }
        }));
    }

    /// <summary>The queries of each burst: the next <c>perBurst</c> of a list, round and round, with the label filter.</summary>
    private sealed class QueryRotation(IReadOnlyList<SemiCmrServer.Query> all, int perBurst, IReadOnlyList<string> labels)
    {
        private int next;

        public IReadOnlyList<string> Labels => labels;
        public bool ByText => all[0].Text is not null;

        public List<SemiCmrServer.Query> Next()
        {
            var burst = Enumerable.Range(0, perBurst).Select(i => all[(next + i) % all.Count]).ToList();
            next = (next + perBurst) % all.Count;
            return burst;
        }
    }

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
