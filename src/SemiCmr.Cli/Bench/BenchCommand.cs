using System.Globalization;
using System.Text.Json;
using SemiCmr.Cli.Common;
using SemiCmr.Ml.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Bench;

/// <summary>`semicmr bench`: every (method, ratio, seed) on one dataset, summarised over seeds.</summary>
public sealed class BenchCommand(IAnsiConsole console) : Command<BenchSettings>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public override int Execute(CommandContext context, BenchSettings settings, CancellationToken cancellationToken)
    {
        var options = TrainingFlags.Read(context.Remaining);
        var plan = Plan(settings);
        var dataset = Inputs.ReadDataset(settings.Data);
        var device = Inputs.ResolveDevice(settings);
        console.MarkupLine($"Benchmark: {plan.Count} runs on {dataset.Items.Count} items, device {device.type}.");

        var rows = new List<BenchRow>();
        console.Progress()
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var overall = progress.AddTask("runs", maxValue: plan.Count);
                foreach (var (method, ratio, seed) in plan)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var name = $"{method.ToName()} ratio {ratio.ToString(CultureInfo.InvariantCulture)} seed {seed}";
                    overall.Description = $"run {rows.Count + 1}/{plan.Count}: {name}".EscapeMarkup();
                    var labeled = Inputs.LabeledRows(dataset, method, ratio, null, seed);
                    var reporter = new ProgressReporter(progress, name + ": ");
                    // Every run stays on this thread: TorchSharp's dispose scopes are per thread.
                    using var run = MethodRunner.Run(new TrainingRequest(dataset, method, labeled, options, seed, device), reporter, cancellationToken);
                    reporter.Complete();
                    rows.Add(BenchRow.From(method, ratio, seed, run.Result.Metrics));
                    if (settings.Json is not null) WriteJson(settings.Json, rows);
                    overall.Increment(1);
                }
                overall.Description = "runs";
            });

        console.Write(BenchSummary.Table(rows));
        if (settings.Json is not null)
            console.MarkupLine($"Wrote {rows.Count} runs to [bold]{Path.GetFullPath(settings.Json).EscapeMarkup()}[/].");
        return 0;
    }

    /// <summary>full and cca see every training pair, so they run once per seed with ratio 1.</summary>
    public static IReadOnlyList<(Method Method, double Ratio, int Seed)> Plan(BenchSettings settings) =>
        (from method in settings.ParsedMethods
         from ratio in method is Method.Full or Method.Cca ? [1.0] : settings.ParsedRatios
         from seed in settings.ParsedSeeds
         select (method, ratio, seed)).ToList();

    private static void WriteJson(string path, IReadOnlyList<BenchRow> rows)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(path, JsonSerializer.Serialize(rows, Json));
    }
}
