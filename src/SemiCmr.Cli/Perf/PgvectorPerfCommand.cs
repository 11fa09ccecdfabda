using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Pgvector.Npgsql;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Search;
using SemiCmr.Ml.Search.Pgvector;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

/// <summary>
/// `semicmr perf pgvector`: the app's PostgreSQL vector search (Ml/Search/Pgvector, the code the app runs) on synthetic
/// clustered data in scratch tables of the app's shape: COPY time, HNSW build time, p50/p95 of single top-10 queries
/// through the index and as PostgreSQL's exact scan, with a label filter as the app answers it (exact over the allowed
/// rows), and recall@10 against the exact ranking (computed in-process).
/// </summary>
public sealed class PgvectorPerfCommand(IAnsiConsole console) : AsyncCommand<PgvectorPerfSettings>
{
    private const int K = 10, RunId = 1;
    private static readonly VectorTable Table = new("semicmr_perf_vectors");
    private const string Labels = "semicmr_perf_labels";

    public override async Task<int> ExecuteAsync(CommandContext context, PgvectorPerfSettings settings, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlDataSourceBuilder(settings.Connection);
        builder.UseVector();
        await using var dataSource = builder.Build();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "CREATE EXTENSION IF NOT EXISTS vector", cancellationToken);
        await connection.ReloadTypesAsync(cancellationToken);
        await Drop(connection);
        try
        {
            await Measure(settings, dataSource, connection, cancellationToken);
        }
        finally
        {
            await Drop(connection);
        }
        return 0;
    }

    private async Task Measure(PgvectorPerfSettings settings, NpgsqlDataSource dataSource, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var server = new NpgsqlCommand("SELECT current_setting('server_version'), (SELECT extversion FROM pg_extension WHERE extname = 'vector'), " +
            "current_setting('maintenance_work_mem'), current_setting('max_parallel_maintenance_workers')", connection);
        await using (var reader = await server.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            console.MarkupLine(Markup.Escape($"PostgreSQL {reader.GetString(0)}, pgvector {reader.GetString(1)}, maintenance_work_mem {reader.GetString(2)}, " +
                $"{reader.GetString(3)} parallel maintenance workers; {settings.Items:N0} {settings.Dimensions}-d vectors around {settings.Clusters} centres, " +
                $"seed {settings.Seed}, {Environment.ProcessorCount} client cores."));
        }

        var data = new ClusteredVectors(settings.Dimensions, settings.Clusters, settings.Seed);
        var (values, clusters) = data.Next(settings.Items);
        using var exact = new ExactIndex(values, settings.Items, settings.Dimensions);
        var queries = data.Next(settings.Queries).Values;

        await Execute(connection, Table.CreateSql, cancellationToken);
        var clock = Stopwatch.StartNew();
        await Progress($"COPY {settings.Items:N0} rows", async report =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await VectorCopy.Write(connection, Table, RunId, VectorTable.Images, exact, n => report((double)n / settings.Items), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        double copy = clock.Elapsed.TotalSeconds;
        await Execute(connection, $"VACUUM ANALYZE {Table.Quoted}", cancellationToken);

        clock.Restart();
        await Progress("HNSW index (CONCURRENTLY)", report =>
            VectorIndexBuild.Build(dataSource, Table, RunId, VectorTable.Images, settings.Dimensions, settings.Items, report, cancellationToken));
        double build = clock.Elapsed.TotalSeconds;

        var filter = await Filter(settings, connection, clusters, cancellationToken);
        var table = new Table().AddColumns("search", "filter", "queries", "p50", "p95", "recall@10");
        foreach (var (name, vectorFilter, allowed) in filter)
        {
            int candidates = allowed?.Count ?? settings.Items;
            var truth = new int[settings.Queries][];
            for (int q = 0; q < settings.Queries; q++)
                truth[q] = [.. exact.Search(queries.AsSpan(q * settings.Dimensions, settings.Dimensions), K, 0, allowed).Hits.Select(h => h.Row)];
            // A filtered search is always exact over the allowed rows (VectorSearch): timed once, on every query.
            foreach (int? ef in vectorFilter is null ? new int?[] { settings.EfSearch, null } : [null])
            {
                int count = ef is null && vectorFilter is null ? settings.ExactQueries : settings.Queries;
                if (count == 0) continue;
                var latency = new LatencySample();
                int found = 0;
                for (int q = -Math.Min(10, count); q < count; q++) // the first few warm the connection and the cache, untimed
                {
                    var query = queries.AsSpan(Math.Max(q, 0) * settings.Dimensions, settings.Dimensions).ToArray();
                    long start = Stopwatch.GetTimestamp();
                    var hits = await VectorSearch.Page(connection, Table, RunId, VectorTable.Images, settings.Dimensions, query, K, 0, vectorFilter, ef, candidates, cancellationToken);
                    if (q < 0) continue;
                    latency.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    found += hits.Select(h => h.Row).Intersect(truth[q]).Count();
                }
                double recall = (double)found / (count * K);
                table.AddRow(ef is { } e ? $"hnsw, ef_search {e}" : vectorFilter is null ? "exact scan" : "exact over the allowed rows", name, count.ToString("N0", CultureInfo.InvariantCulture),
                    Ms(latency.Percentile(50)), Ms(latency.Percentile(95)), recall.ToString("0.000", CultureInfo.InvariantCulture));
            }
        }
        console.MarkupLine($"insert (binary COPY, one transaction): {copy:0.0} s ({settings.Items / copy:N0} rows/s); HNSW build: {build:0.0} s");
        console.Write(table);
        console.MarkupLine("[grey]recall@10: the share of the exact top 10 (ranked in-process) that PostgreSQL returned; latency includes the client round trip.[/]");
    }

    /// <summary>No filter, and with --filter the first classes making up that share, read from a labels table of the app's shape.</summary>
    private static async Task<List<(string Name, VectorFilter? Filter, RowSet? Allowed)>> Filter(PgvectorPerfSettings settings, NpgsqlConnection connection,
        int[] clusters, CancellationToken cancellationToken)
    {
        var filters = new List<(string, VectorFilter?, RowSet?)> { ("none", null, null) };
        if (settings.FilterPercent == 0) return filters;
        int classes = settings.Clusters * settings.FilterPercent / 100;
        await Execute(connection, $"CREATE TABLE {Labels} (class integer NOT NULL, row integer NOT NULL, PRIMARY KEY (class, row))", cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY {Labels} (class, row) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (int row = 0; row < clusters.Length; row++) await writer.WriteRowAsync(cancellationToken, clusters[row], row);
            await writer.CompleteAsync(cancellationToken);
        }
        await Execute(connection, $"ANALYZE {Labels}", cancellationToken);
        var allowed = new RowSet(clusters.Length);
        for (int row = 0; row < clusters.Length; row++)
            if (clusters[row] < classes) allowed.Add(row);
        var filter = new VectorFilter($"SELECT DISTINCT row FROM {Labels} WHERE class = ANY(@classes)",
            [new NpgsqlParameter("classes", Enumerable.Range(0, classes).ToArray())]);
        filters.Add(($"{classes} of {settings.Clusters} classes", filter, allowed));
        return filters;
    }

    private async Task Progress(string description, Func<Action<double>, Task> work) =>
        await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(description);
                await work(p => task.Value = p * 100);
                task.Value = 100;
            });

    private static async Task Drop(NpgsqlConnection connection)
    {
        await Execute(connection, $"DROP TABLE IF EXISTS {Table.Quoted}", CancellationToken.None);
        await Execute(connection, $"DROP TABLE IF EXISTS {Labels}", CancellationToken.None);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms";
}
