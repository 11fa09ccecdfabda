using System.Diagnostics;
using System.Globalization;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Search;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

/// <summary>
/// `semicmr perf search`: the vector indexes in-process on synthetic clustered data. Per index and size: build time,
/// file size, cold load, p50/p95 of single queries (top 10), recall@10 against the exact scan, and process RSS; the
/// HNSW graph is built once and measured at each search expansion (ef) asked for.
/// </summary>
public sealed class SearchPerfCommand(IAnsiConsole console) : Command<SearchPerfSettings>
{
    private const int K = 10;

    public override int Execute(CommandContext context, SearchPerfSettings settings, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("index", "items", "ef", "build", "file", "cold load", "p50", "p95", "recall@10", "RSS");
        string folder = Directory.CreateTempSubdirectory("semicmr-perf-search-").FullName;
        try
        {
            console.MarkupLine($"{settings.Dimensions}-d vectors around {settings.Clusters} centres, seed {settings.Seed}, {settings.Queries} single queries of top {K}, {Environment.ProcessorCount} cores.");
            foreach (int items in settings.ParsedItems)
            {
                Measure(items, settings, folder, table, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        console.Write(table);
        console.MarkupLine("[grey]cold load: exact = reading the .npy and normalising; hnsw = opening the saved graph memory-mapped (the exact rows it rescores with are the line above).[/]");
        return 0;
    }

    private void Measure(int items, SearchPerfSettings settings, string folder, Table table, CancellationToken cancellationToken)
    {
        var data = new ClusteredVectors(settings.Dimensions, settings.Clusters, settings.Seed);
        string npy = Path.Combine(folder, $"{items}.npy");
        Npy.Write(npy, new FeatureMatrix(data.Next(items).Values, items, settings.Dimensions));
        var queries = data.Next(settings.Queries).Values;
        GC.Collect(); // the generated items are on disk now: RSS shows what the index holds

        var clock = Stopwatch.StartNew();
        var exact = ExactIndex.Owning(Npy.Read(npy));
        double coldExact = clock.Elapsed.TotalMilliseconds;
        var truth = new int[settings.Queries][];
        var exactLatency = Time(exact, queries, settings.Dimensions, (q, hits) => truth[q] = hits);
        Row(table, "exact", N(items), "-", "-", Bytes(new FileInfo(npy).Length), Ms(coldExact), Ms(exactLatency.Percentile(50)), Ms(exactLatency.Percentile(95)), "1.000", Rss());

        if (items < settings.HnswFrom) return;
        string graph = Path.Combine(folder, $"{items}.usearch");
        clock.Restart();
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(progress =>
        {
            var task = progress.AddTask($"HNSW over {N(items)} items");
            using var built = HnswIndex.Build(exact, p => task.Value = p * 100, cancellationToken);
            built.Save(graph);
        });
        double build = clock.Elapsed.TotalSeconds;
        GC.Collect();

        clock.Restart();
        using var hnsw = HnswIndex.Open(graph, exact);
        double coldHnsw = clock.Elapsed.TotalMilliseconds;
        bool first = true;
        foreach (int expansion in settings.ParsedExpansion)
        {
            hnsw.SearchExpansion = expansion;
            int found = 0;
            var latency = Time(hnsw, queries, settings.Dimensions, (q, hits) => found += hits.Intersect(truth[q]).Count());
            double recall = (double)found / truth.Sum(t => t.Length);
            Row(table, "hnsw", N(items), N(expansion), first ? $"{build:0.0} s" : "", first ? Bytes(new FileInfo(graph).Length) : "", first ? Ms(coldHnsw) : "",
                Ms(latency.Percentile(50)), Ms(latency.Percentile(95)), recall.ToString("0.000", CultureInfo.InvariantCulture), Rss());
            first = false;
        }
    }

    /// <summary>Adds a row to the final table and prints it at once: a large size can take many minutes.</summary>
    private void Row(Table table, params string[] cells)
    {
        table.AddRow(cells);
        console.WriteLine($"measured {cells[0]} over {cells[1]} items, ef {cells[2]}: build {cells[3]}, cold load {cells[5]}, p50 {cells[6]}, p95 {cells[7]}, recall@10 {cells[8]}, RSS {cells[9]}");
    }

    /// <summary>Times each query alone (after a few untimed ones) and hands its top rows to <paramref name="seen"/>.</summary>
    private static LatencySample Time(IVectorIndex index, float[] queries, int dimensions, Action<int, int[]> seen)
    {
        int count = queries.Length / dimensions;
        for (int q = 0; q < Math.Min(20, count); q++) index.Search(queries.AsSpan(q * dimensions, dimensions), K, 0);
        var sample = new LatencySample();
        for (int q = 0; q < count; q++)
        {
            long start = Stopwatch.GetTimestamp();
            var page = index.Search(queries.AsSpan(q * dimensions, dimensions), K, 0);
            sample.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            seen(q, page.Hits.Select(h => h.Row).ToArray());
        }
        return sample;
    }

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms";
    private static string Bytes(long bytes) => (bytes / 1024.0 / 1024).ToString("0", CultureInfo.InvariantCulture) + " MB";

    private static string Rss()
    {
        using var process = Process.GetCurrentProcess();
        return Bytes(process.WorkingSet64);
    }
}
