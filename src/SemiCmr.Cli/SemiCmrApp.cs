using SemiCmr.Cli.Bench;
using SemiCmr.Cli.Common;
using SemiCmr.Cli.Eval;
using SemiCmr.Cli.Perf;
using SemiCmr.Cli.Train;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli;

/// <summary>The `semicmr` command tree; tests build it with their own console.</summary>
public static class SemiCmrApp
{
    public static CommandApp Create(IAnsiConsole? console = null)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("semicmr");
            if (console is null)
            {
                console = AnsiConsole.Console;
                // Redirected output (CI logs, `| tee`) would otherwise wrap the bench table at 80 columns.
                if (Console.IsOutputRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 160);
            }
            config.ConfigureConsole(console);
            config.SetExceptionHandler((exception, _) => ErrorHandler.Handle(exception, console));

            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train one run (sscmr, supervised, full or cca) on a feature dataset and save the run folder.")
                .WithExample("train", "--data", "../shared/data/wiki-features", "--method", "sscmr", "--label-ratio", "0.1", "--seed", "1", "--out", "runs/wiki-sscmr");
            config.AddCommand<EvalCommand>("eval")
                .WithDescription("Evaluate a saved model on the test split of a feature dataset (MAP, MAP@R, precision@K).")
                .WithExample("eval", "--model", "runs/wiki-sscmr", "--data", "../shared/data/wiki-features");
            config.AddCommand<Import.ImportCommand>("import").WithDescription("Import a raw image-text folder (manifest, captions or Wikipedia layout): extract features, thumbnails and the text encoder.").WithExample("import", "--source", "../shared/data/flickr8k-1000", "--out", "datasets/flickr", "--text-encoder", "minilm");
            config.AddCommand<BenchCommand>("bench")
                .WithDescription("Run every method x label ratio x seed, print mean and standard deviation over seeds, write every run as JSON.")
                .WithExample("bench", "--data", "../shared/data/wiki-features", "--methods", "sscmr,supervised,full,cca", "--ratios", "0.05,0.1", "--seeds", "1,2,3", "--json", "bench-wiki.json");
            config.AddCommand<PerfCommand>("perf")
                .WithDescription("Measure the hot paths with BenchmarkDotNet (a stage-2 run at 1 and 11 epochs, test-split evaluation, dataset loading); run it from a Release build.")
                .WithExample("perf", "--data", "../shared/data/wiki-features");
        });
        return app;
    }
}
