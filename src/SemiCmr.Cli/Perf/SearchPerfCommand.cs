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
/// file size, cold load, p50/p95 of single queries (top 10), with and without a label filter, recall@10 against the
/// exact scan, and process RSS; the HNSW graph is built once and measured at each search expansion (ef) asked for.
/// </summary>
public sealed class SearchPerfCommand(IAnsiConsole console) : Command<SearchPerfSettings>
{
    private const int K = 10;

    public override int Execute(CommandContext context, SearchPerfSettings settings, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("index", "items", "filter", "ef", "build", "file", "cold load", "p50", "p95", "recall@10", "RSS");
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
        console.MarkupLine("[grey]cold load: exact = mapping the .npy and reading its row norms (rows come into memory as queries touch them); hnsw = opening the saved graph memory-mapped (it rescores with the exact rows above).[/]");
        return 0;
    }

    private void Measure(int items, SearchPerfSettings settings, string folder, Table table, CancellationToken cancellationToken)
    {
        var data = new ClusteredVectors(settings.Dimensions, settings.Clusters, settings.Seed);
        string npy = Path.Combine(folder, $"{items}.npy");
        var (values, clusters) = data.Next(items);
        Npy.Write(npy, new FeatureMatrix(values, items, settings.Dimensions));
        values = null;
        var queries = data.Next(settings.Queries).Values;
        var (order, filters) = Filters(settings, clusters);
        GC.Collect(); // the generated items are on disk now: RSS shows what the index holds

        var clock = Stopwatch.StartNew();
        using var exact = ExactIndex.Open(npy, order); // as the app opens a run's embeddings: mapped
        double coldExact = clock.Elapsed.TotalMilliseconds;
        var truth = new Dictionary<string, int[][]>();
        foreach (var (name, allowed) in filters)
        {
            var found = truth[name] = new int[settings.Queries][];
            var exactLatency = Time(exact, queries, settings.Dimensions, allowed, (q, hits) => found[q] = hits);
            bool first = truth.Count == 1;
            Row(table, "exact", N(items), name, "-", "-", first ? Bytes(new FileInfo(npy).Length) : "", first ? Ms(coldExact) : "",
                Ms(exactLatency.Percentile(50)), Ms(exactLatency.Percentile(95)), "1.000", Rss());
            if (allowed is null) continue;
            // What the HNSW index answers a filter of few rows with: the filter's rows in 8 bits, a shortlist rescored.
            int same = 0;
            var shortlist = Time(new Shortlisted(exact), queries, settings.Dimensions, allowed, (q, hits) => same += hits.Intersect(found[q]).Count());
            Row(table, "shortlist", N(items), name, "-", "-", "", "", Ms(shortlist.Percentile(50)), Ms(shortlist.Percentile(95)),
                Recall(same, found), Rss());
        }

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
        bool firstRow = true;
        foreach (var (name, allowed) in filters)
            foreach (int expansion in settings.ParsedExpansion)
            {
                hnsw.SearchExpansion = expansion;
                int found = 0;
                var latency = Time(hnsw, queries, settings.Dimensions, allowed, (q, hits) => found += hits.Intersect(truth[name][q]).Count());
                Row(table, "hnsw", N(items), name, N(expansion), firstRow ? $"{build:0.0} s" : "", firstRow ? Bytes(new FileInfo(graph).Length) : "", firstRow ? Ms(coldHnsw) : "",
                    Ms(latency.Percentile(50)), Ms(latency.Percentile(95)), Recall(found, truth[name]), Rss());
                firstRow = false;
            }
    }

    /// <summary>No filter, and with <c>--filter</c> the rows of the first classes making up that share (a label filter's shape).</summary>
    /// <remarks>
    /// Each item is labelled with its cluster, as the app labels a run's items, and the 8-bit rows are stored in the
    /// app's order (by class).
    /// </remarks>
    private static (RowOrder Order, List<(string Name, RowSet? Allowed)> Filters) Filters(SearchPerfSettings settings, int[] clusters)
    {
        var labels = clusters.Select(c => (IReadOnlyList<int>)[c]).ToList();
        var order = new RowOrder(labels, settings.Clusters);
        var filters = new List<(string, RowSet?)> { ("none", null) };
        if (settings.FilterPercent == 0) return (order, filters);
        int classes = settings.Clusters * settings.FilterPercent / 100;
        filters.Add(($"{classes} of {settings.Clusters} classes", new ClassRows(labels, settings.Clusters, order).Any(Enumerable.Range(0, classes))));
        return (order, filters);
    }

    /// <summary>Adds a row to the final table and prints it at once: a large size can take many minutes.</summary>
    private void Row(Table table, params string[] cells)
    {
        table.AddRow(cells);
        console.WriteLine($"measured {cells[0]} over {cells[1]} items, filter {cells[2]}, ef {cells[3]}: build {cells[4]}, cold load {cells[6]}, p50 {cells[7]}, p95 {cells[8]}, recall@10 {cells[9]}, RSS {cells[10]}");
    }

    /// <summary>Times each query alone (after a few untimed ones) and hands its top rows to <paramref name="seen"/>.</summary>
    private static LatencySample Time(IVectorIndex index, float[] queries, int dimensions, RowSet? allowed, Action<int, int[]> seen)
    {
        int count = queries.Length / dimensions;
        for (int q = 0; q < Math.Min(20, count); q++) index.Search(queries.AsSpan(q * dimensions, dimensions), K, 0, allowed);
        var sample = new LatencySample();
        for (int q = 0; q < count; q++)
        {
            long start = Stopwatch.GetTimestamp();
            var page = index.Search(queries.AsSpan(q * dimensions, dimensions), K, 0, allowed);
            sample.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            seen(q, page.Hits.Select(h => h.Row).ToArray());
        }
        return sample;
    }

    private static string Recall(int found, int[][] truth) => ((double)found / truth.Sum(t => t.Length)).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>The exact index's shortlisted search, timed as an index of its own (it is only asked with a filter).</summary>
    private sealed class Shortlisted(ExactIndex exact) : IVectorIndex
    {
        public string Kind => "shortlist";
        public int Count => exact.Count;
        public int Dimensions => exact.Dimensions;
        public VectorPage Search(ReadOnlySpan<float> query, int k, int offset, RowSet? allowed = null) =>
            exact.SearchShortlisted(query, k, offset, allowed ?? throw new ArgumentNullException(nameof(allowed)));
        public void Dispose() { }
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
