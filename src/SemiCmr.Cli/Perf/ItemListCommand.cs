using SemiCmr.Cli.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

/// <summary>
/// `semicmr perf items`: how long a running app takes to answer a page of a dataset's items with its total, for
/// each filter the dataset page and GET /api/datasets/{id}/items offer (split, class, labeled, within a budget), at
/// the first page and deep in the list. Requests go one at a time, so each latency is the server's own.
/// </summary>
public sealed class ItemListCommand(IAnsiConsole console) : AsyncCommand<ItemListSettings>
{
    private sealed record Filter(string Name, string Query);

    public override async Task<int> ExecuteAsync(CommandContext context, ItemListSettings settings, CancellationToken cancellationToken)
    {
        using var server = settings.Connect();
        var dataset = await server.FindDataset(settings.Dataset, cancellationToken);
        console.MarkupLine($"Listing dataset [bold]{dataset.Id}[/] ({dataset.ItemCount:N0} items) on {settings.Server.EscapeMarkup()}, " +
            $"{settings.Limit} items a page, {settings.Rounds} requests a filter.");

        var table = new Table().AddColumns("filter", "total", "p50", "max");
        foreach (var filter in await Filters(server, dataset, settings, cancellationToken))
        {
            var sample = new LatencySample();
            int total = 0;
            for (int round = 0; round <= settings.Rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                var page = await server.Items(dataset.Id, Query(filter.Query, $"limit={settings.Limit}"), cancellationToken);
                if (round > 0) sample.Add(clock.Elapsed.TotalMilliseconds); // the first warms caches and plans
                total = (int)page["total"]!;
            }
            table.AddRow(filter.Name.EscapeMarkup(), total.ToString("N0", CultureInfo.InvariantCulture), Ms(sample.Percentile(50)), Ms(sample.Percentile(100)));
        }
        console.Write(table);
        return 0;
    }

    /// <summary>The filters, with deep pages halfway through what each first page says it has.</summary>
    private static async Task<List<Filter>> Filters(SemiCmrServer server, SemiCmrServer.DatasetInfo dataset, ItemListSettings settings, CancellationToken cancellationToken)
    {
        string label = Uri.EscapeDataString(dataset.Classes.FirstOrDefault() ?? "");
        var filters = new List<Filter> { new("all", "") };
        if (dataset.Classes.Count > 0) filters.Add(new($"label {dataset.Classes[0]}", $"label={label}"));
        filters.Add(new("labeled", "labeled=true"));
        filters.Add(new("unlabeled", "labeled=false"));
        if (dataset.Classes.Count > 0) filters.Add(new($"test, label {dataset.Classes[0]}", $"split=test&label={label}"));
        filters.Add(new("test, labeled", "split=test&labeled=true"));
        filters.Add(new("train, unlabeled", "split=train&labeled=false"));
        if (settings.Budget is { } budget)
        {
            filters.Add(new($"labeled in budget {budget}", $"budgetId={budget}&labeled=true"));
            filters.Add(new($"unlabeled in budget {budget}", $"budgetId={budget}&labeled=false"));
        }
        foreach (var filter in filters.ToList())
        {
            int total = (int)(await server.Items(dataset.Id, Query(filter.Query, "limit=1"), cancellationToken))["total"]!;
            if (total > 2 * settings.Limit) filters.Add(new($"{filter.Name}, page at {total / 2:N0}", Query(filter.Query, $"offset={total / 2}")));
        }
        return filters;
    }

    private static string Query(params string[] parts) => string.Join("&", parts.Where(p => p.Length > 0));

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
