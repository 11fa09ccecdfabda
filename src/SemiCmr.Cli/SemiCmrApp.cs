using SemiCmr.Cli.Bench;
using SemiCmr.Cli.Common;
using SemiCmr.Cli.Eval;
using SemiCmr.Cli.Perf;
using SemiCmr.Cli.Samples;
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
            config.SetHelpProvider(new TrainingHelpProvider(config.Settings));
            config.SetExceptionHandler((exception, _) => ErrorHandler.Handle(exception, console));

            config.AddCommand<SamplesCommand>("samples")
                .WithDescription("Write generated datasets to try everything on: feature datasets (single- and multi-label) and raw image-text folders in every import layout.")
                .WithExample("samples", "--out", "samples");
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train one run (sscmr, supervised, full or cca) on a feature dataset and save the run folder.")
                .WithExample("train", "--data", "samples/features", "--method", "sscmr", "--label-ratio", "0.1", "--seed", "1", "--out", "runs/sample-sscmr");
            config.AddCommand<EvalCommand>("eval")
                .WithDescription("Evaluate a saved model on the test split of a feature dataset (MAP, MAP@R, precision@K).")
                .WithExample("eval", "--model", "runs/sample-sscmr", "--data", "samples/features");
            config.AddCommand<Import.ImportCommand>("import").WithDescription("Import a raw image-text folder (manifest, captions or Wikipedia layout): extract features, thumbnails and the text encoder.").WithExample("import", "--source", "samples/manifest", "--out", "datasets/shapes", "--text-encoder", "minilm");
            config.AddCommand<BenchCommand>("bench")
                .WithDescription("Run every method x label ratio x seed, print mean and standard deviation over seeds, write every run as JSON.")
                .WithExample("bench", "--data", "samples/features", "--methods", "sscmr,supervised,full,cca", "--ratios", "0.05,0.1", "--seeds", "1,2,3", "--json", "bench-samples.json");
            config.AddCommand<Search.SearchCommand>("search")
                .WithDescription("Search a run on a running app by text, item or image file and print the hits (the app's search service answers).")
                .WithExample("search", "--server", "http://localhost:5000", "--text", "a red circle", "-k", "5")
                .WithExample("search", "--run", "3", "--item", "item-0042", "--target", "image", "--label", "circle");
            config.AddCommand<Worker.WorkerCommand>("worker")
                .WithDescription("Train the runs queued in a team deployment's PostgreSQL database on this machine, until Ctrl+C (which gives the run in hand back to the queue). Give the web instances' database and their data folder (a shared volume).")
                .WithExample("worker", "--connection", "\"Host=db;Username=semicmr;Password=secret;Database=semicmr\"", "--data", "/srv/semicmr/data", "--device", "cuda");
            config.AddBranch("perf", perf =>
            {
                perf.SetDescription("Measure speed: the training and evaluation hot paths (BenchmarkDotNet), the vector indexes, or search and item-list latency on a running app.");
                perf.SetDefaultCommand<PerfCommand>();
                perf.AddCommand<PerfCommand>("hot-paths")
                    .WithDescription("Measure the hot paths with BenchmarkDotNet (a stage-2 run at 1 and 11 epochs, test-split evaluation, dataset loading); run it from a Release build. `semicmr perf --data DIR` runs it too.")
                    .WithExample("perf", "hot-paths", "--data", "samples/features");
                perf.AddCommand<EvaluationScaleCommand>("evaluation")
                    .WithDescription("Time one test-split evaluation (MAP@all, MAP@R, precision@K, PR curve, both directions) on generated clustered embeddings; 100,000 items by default.")
                    .WithExample("perf", "evaluation", "--items", "100000", "--dims", "128", "--classes", "10");
                perf.AddCommand<SearchLoadCommand>("search-load")
                    .WithDescription("Measure search latency (p50, p95, p99) on a running app from many clients at once, idle and while it imports a folder.")
                    .WithExample("perf", "search-load", "--server", "http://localhost:5000", "--import", "data/imports/load");
                perf.AddCommand<ItemListCommand>("items")
                    .WithDescription("Measure how long a running app takes to list a page of a dataset's items with its total, for each filter (split, label, labeled, in a budget), first and deep pages.")
                    .WithExample("perf", "items", "--server", "http://localhost:5000", "--dataset", "1", "--budget", "1");
                perf.AddCommand<SearchPerfCommand>("search")
                    .WithDescription("Measure the vector indexes in-process on synthetic clustered data: build time, file size, cold load, p50/p95 of single queries, recall@10 against the exact scan, RSS.")
                    .WithExample("perf", "search", "--items", "100000,1000000", "--dims", "128");
                perf.AddCommand<PgvectorPerfCommand>("pgvector")
                    .WithDescription("Measure the app's PostgreSQL vector search (pgvector) on synthetic clustered data in scratch tables: COPY and HNSW build time, p50/p95 of single queries, recall@10 against the exact ranking.")
                    .WithExample("perf", "pgvector", "--connection", "\"Host=localhost;Username=semicmr;Database=semicmr\"", "--items", "100000");
            });
        });
        return app;
    }
}
