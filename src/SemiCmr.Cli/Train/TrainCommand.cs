using SemiCmr.Cli.Common;
using SemiCmr.Ml.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Train;

/// <summary>`semicmr train`: one run, saved as a run folder, metrics printed.</summary>
public sealed class TrainCommand(IAnsiConsole console) : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        var options = TrainingFlags.Read(context.Remaining);
        var method = settings.ParsedMethod;
        var dataset = Inputs.ReadDataset(settings.Data);
        var device = Inputs.ResolveDevice(settings);
        var labeled = Inputs.LabeledRows(dataset, method, settings.LabelRatio, settings.LabelCount, settings.Seed);

        if (method is Method.Full or Method.Cca && (settings.LabelRatio is not null || settings.LabelCount is not null))
            console.MarkupLine($"[yellow]Note:[/] {method.ToName()} uses every labeled training pair; the label budget is ignored.");
        console.MarkupLine($"Training [bold]{method.ToName()}[/] on {dataset.Items.Count} items " +
                           $"({labeled.Count} labeled), seed {settings.Seed}, device {device.type}.");
        var request = new TrainingRequest(dataset, method, labeled, options, settings.Seed, device);

        using var run = console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                // The whole run stays on this thread: TorchSharp's dispose scopes are per thread.
                var reporter = new ProgressReporter(progress);
                var result = MethodRunner.Run(request, reporter, cancellationToken);
                reporter.Complete();
                return result;
            });

        run.Save(settings.Out);
        console.Write(MetricsTable.For(run.Result.Metrics));
        console.MarkupLine($"Saved the run to [bold]{Path.GetFullPath(settings.Out).EscapeMarkup()}[/].");
        return 0;
    }
}
