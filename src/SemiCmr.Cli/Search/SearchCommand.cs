using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SemiCmr.Cli.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Search;

/// <summary>
/// `semicmr search`: asks a running app (POST /api/runs/{id}/search, or /search/image with a file) and prints the hits.
/// The server's search service answers, so the CLI ranks, filters and refuses exactly as the API and the search page do.
/// </summary>
public sealed class SearchCommand(IAnsiConsole console) : AsyncCommand<SearchSettings>
{
    private const int ExcerptChars = 80;

    public override async Task<int> ExecuteAsync(CommandContext context, SearchSettings settings, CancellationToken cancellationToken)
    {
        using var server = settings.Connect();
        var run = await server.FindRun(settings.Run, cancellationToken);
        var request = new SemiCmrServer.SearchRequest(settings.Target, settings.K, settings.Offset, settings.Labels);
        JsonObject answer = settings.Image is { } image
            ? await server.SearchImage(run.Id, Inputs.ReadFile(image, "--image"), Path.GetFileName(image), request, cancellationToken)
            : await server.Search(run.Id, settings.Text, settings.Item, request, cancellationToken);

        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(answer.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        var hits = answer["hits"]!.AsArray();
        int total = (int)answer["total"]!;
        var table = new Table().AddColumns("#", "item", "score", "labels", "text");
        int rank = settings.Offset;
        foreach (var hit in hits)
        {
            string text = (string?)hit!["text"] ?? "";
            table.AddRow(
                (++rank).ToString(CultureInfo.InvariantCulture),
                Markup.Escape((string)hit["itemId"]!),
                ((double)hit["score"]!).ToString("0.000", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", hit["labels"]!.AsArray().Select(l => (string?)l))),
                Markup.Escape(text.Length > ExcerptChars ? text[..ExcerptChars] + "..." : text));
        }
        console.MarkupLine($"Run {run.Id} (dataset {run.DatasetId}): hits {(hits.Count == 0 ? 0 : settings.Offset + 1)}-{settings.Offset + hits.Count} of {total:N0}.");
        if (hits.Count > 0) console.Write(table);
        return 0;
    }
}
