using System.Globalization;
using SemiCmr.Cli.Common;
using SemiCmr.Ml.Samples;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Samples;

/// <summary>
/// `semicmr samples`: generated datasets to try every command on without outside data: two feature datasets
/// (single- and multi-label, ready for train/eval/bench) and a raw dataset in each import layout.
/// </summary>
public sealed class SamplesCommand(IAnsiConsole console) : Command<SamplesSettings>
{
    public const string SingleLabelFolder = "features";
    public const string MultiLabelFolder = "features-multilabel";

    public override int Execute(CommandContext context, SamplesSettings settings, CancellationToken cancellationToken)
    {
        string target = Path.GetFullPath(settings.Out);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new UserInputException($"The output folder {target} is not empty; choose a new folder.");

        var rows = new List<(string Folder, string Kind, int Items, IReadOnlyList<ExpectedSkip> Skips)>();
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                void Step(string name, Action write)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var task = progress.AddTask(name, maxValue: 1);
                    write();
                    task.Increment(1);
                }
                Step(SingleLabelFolder, () =>
                {
                    var spec = FeatureSampleSpec.SingleLabel with { Seed = settings.Seed };
                    if (settings.FeatureItems is { } n) spec = spec with { TrainItems = n - n / 10, TestItems = n / 10 };
                    FeatureSamples.Write(Path.Combine(target, SingleLabelFolder), spec);
                    rows.Add((SingleLabelFolder, "features, single-label", spec.TrainItems + spec.TestItems, []));
                });
                Step(MultiLabelFolder, () =>
                {
                    var spec = FeatureSampleSpec.MultiLabelDefault with { Seed = settings.Seed };
                    FeatureSamples.Write(Path.Combine(target, MultiLabelFolder), spec);
                    rows.Add((MultiLabelFolder, "features, multi-label", spec.TrainItems + spec.TestItems, []));
                });
                Step("raw layouts", () =>
                {
                    foreach (var raw in RawSamples.Write(target, settings.Scenes, settings.Seed))
                        rows.Add((Path.GetFileName(raw.Folder), $"raw, {raw.Format} layout", raw.Items, raw.Skips));
                });
            });

        console.Write(Summary(rows));
        console.MarkupLine($"Wrote the samples to [bold]{target.EscapeMarkup()}[/]. Try:");
        console.MarkupLine($"  semicmr train --data {Path.Combine(target, SingleLabelFolder).EscapeMarkup()} --method sscmr --label-ratio 0.1 --out runs/sample");
        console.MarkupLine($"  semicmr import --source {Path.Combine(target, "manifest").EscapeMarkup()} --out datasets/sample --text-encoder tfidf");
        return 0;
    }

    private static Table Summary(IEnumerable<(string Folder, string Kind, int Items, IReadOnlyList<ExpectedSkip> Skips)> rows)
    {
        var table = new Table().Title("Generated samples").AddColumns("Folder", "Kind", "Importable items", "Deliberately broken (skipped on import)");
        foreach (var (folder, kind, items, skips) in rows)
            table.AddRow(folder.EscapeMarkup(), kind, items.ToString(CultureInfo.InvariantCulture),
                skips.Count == 0 ? "-" : string.Join("\n", skips.Select(s => $"{s.Item}: {s.Reason}")).EscapeMarkup());
        return table;
    }
}
