using System.Globalization;
using SemiCmr.Cli.Common;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Import;

/// <summary>`semicmr import`: a raw image-text folder becomes a stored feature dataset, with a progress bar and the import report.</summary>
public sealed class ImportCommand(IAnsiConsole console) : Command<ImportSettings>
{
    private const int ListedSkips = 50;

    public override int Execute(CommandContext context, ImportSettings settings, CancellationToken cancellationToken)
    {
        string source = Path.GetFullPath(settings.Source), target = Path.GetFullPath(settings.Out);
        if (!Directory.Exists(source)) throw new UserInputException($"The source folder {source} does not exist.");
        if (RawDatasetImporter.DetectFormat(source) is not { } format)
            throw new UserInputException($"No dataset was found in {source}.",
                ["expected items.csv (a manifest or a feature dataset), captions.csv with an images/ folder, or the Wikipedia lists (categories.list, trainset_txt_img_cat.list, testset_txt_img_cat.list)"]);
        // The importer removes its target on failure: never point it at a folder holding anything else.
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new UserInputException($"The output folder {target} is not empty; choose a new folder.");
        if (target == source || target.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UserInputException("The output folder must not be inside the source folder.");

        var encoder = settings.TextEncoder.Equals("tfidf", StringComparison.OrdinalIgnoreCase) ? TextEncoderKind.Tfidf : TextEncoderKind.MiniLm;
        console.MarkupLine($"Importing [bold]{source.EscapeMarkup()}[/] ({format} layout, {encoder.ToString().ToLowerInvariant()} text encoder).");

        ImportReport report;
        try
        {
            report = console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(progress =>
                {
                    var reporter = new ImportProgressReporter(progress);
                    var result = RawDatasetImporter.Import(source, target, new RawImportSettings(encoder, settings.Seed, ReadableRoots: [Path.GetPathRoot(source) ?? "/"], MaxTextChars: settings.MaxTextChars, Threads: settings.Threads), reporter, cancellationToken);
                    reporter.Complete();
                    return result;
                });
        }
        catch (DatasetValidationException e)
        {
            throw new UserInputException($"The dataset in {source} was refused ({e.Problems.Count} problem(s)); nothing was written:",
                e.Problems.Select(p => p.ToString()).ToList());
        }

        console.Write(Summary(report, target));
        if (report.Skipped.Count > 0) console.Write(SkippedTable(report.Skipped));
        if (report.Truncated.Count > 0) console.Write(TruncatedTable(report.Truncated, settings.MaxTextChars));
        console.MarkupLine($"Saved the dataset to [bold]{target.EscapeMarkup()}[/]; train on it with `semicmr train --data {target.EscapeMarkup()} ...`.");
        return 0;
    }

    private static Table Summary(ImportReport report, string target)
    {
        var table = new Table().Title("Import report").AddColumns("", "");
        table.ShowHeaders = false;
        table.AddRow("Layout", report.Format);
        table.AddRow("Items", report.Items.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Skipped", report.Skipped.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Texts cut", report.Truncated.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Text encoder", report.TextEncoder);
        table.AddRow("Image encoder", report.ImageEncoder);
        table.AddRow("Time", report.Seconds.ToString("F1", CultureInfo.InvariantCulture) + " s");
        table.AddRow("Images per second", report.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture));
        table.AddRow("Folder", target.EscapeMarkup());
        return table;
    }

    private static Table SkippedTable(IReadOnlyList<SkippedItem> skipped)
    {
        var table = new Table().Title($"Skipped items ({skipped.Count})").AddColumns("Item", "File", "Reason");
        foreach (var item in skipped.Take(ListedSkips)) table.AddRow(item.Item.EscapeMarkup(), item.File.EscapeMarkup(), item.Reason.EscapeMarkup());
        if (skipped.Count > ListedSkips)
            table.AddRow("…", "", $"and {skipped.Count - ListedSkips} more (all are in import_report.json)");
        return table;
    }

    private static Table TruncatedTable(IReadOnlyList<TruncatedItem> truncated, int cap)
    {
        var table = new Table().Title($"Texts cut to {cap.ToString(CultureInfo.InvariantCulture)} characters ({truncated.Count})").AddColumns("Item", "File", "Characters kept");
        foreach (var item in truncated.Take(ListedSkips))
            table.AddRow(item.Item.EscapeMarkup(), item.File.EscapeMarkup(), item.Chars.ToString(CultureInfo.InvariantCulture));
        if (truncated.Count > ListedSkips)
            table.AddRow("…", "", $"and {truncated.Count - ListedSkips} more (all are in import_report.json)");
        return table;
    }
}
