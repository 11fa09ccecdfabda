using System.Globalization;
using Npgsql;

namespace SemiCmr.Ml.Search.Pgvector;

/// <summary>
/// Builds, finds and drops the HNSW index (cosine) of one run's side of a <see cref="VectorTable"/>. Built
/// CONCURRENTLY: the shared table stays open to other runs' writes and deletes while a large graph is built (a plain
/// CREATE INDEX would hold them for minutes); with the in-process <see cref="HnswIndex"/>'s neighbours a node.
/// </summary>
public static class VectorIndexBuild
{
    /// <summary>
    /// pgvector's ef_construction. 128, not the in-process graph's 256: pgvector keeps full floats, so its graph finds
    /// 99.8% of the exact top 10 at 100,000 items already, and a wider build would double a build of minutes.
    /// </summary>
    public const int ExpansionAdd = 128;

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Builds the index over the <paramref name="rows"/> rows of the run's side, reporting the share of rows in the graph
    /// (0-1) from PostgreSQL's progress view, read on a second connection of <paramref name="dataSource"/>. A leftover of
    /// a build that died (an invalid index of that name) is dropped first.
    /// </summary>
    public static async Task Build(NpgsqlDataSource dataSource, VectorTable table, int runId, short side, int dimensions, int rows,
        Action<double>? progress = null, CancellationToken cancellationToken = default)
    {
        string name = VectorTable.Quote(table.IndexName(runId, side));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, $"DROP INDEX CONCURRENTLY IF EXISTS {name}", cancellationToken);
        string create = string.Create(CultureInfo.InvariantCulture,
            $"CREATE INDEX CONCURRENTLY {name} ON {table.Quoted} USING hnsw (({VectorTable.Typed(dimensions)}) vector_cosine_ops) " +
            $"WITH (m = {HnswIndex.Connectivity}, ef_construction = {ExpansionAdd}) " +
            $"WHERE \"{VectorTable.RunId}\" = {runId} AND \"{VectorTable.Side}\" = {side}");
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = progress is null ? Task.CompletedTask : Watch(dataSource, connection.ProcessID, rows, progress, stopWatching.Token);
        try
        {
            await Execute(connection, create, cancellationToken);
        }
        catch
        {
            // A cancelled or failed concurrent build leaves an invalid index behind: not worth keeping.
            await using var cleanup = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await Execute(cleanup, $"DROP INDEX CONCURRENTLY IF EXISTS {name}", CancellationToken.None);
            throw;
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watching;
        }
    }

    /// <summary>Whether the run's side has a valid (finished) HNSW index.</summary>
    public static async Task<bool> Exists(NpgsqlConnection connection, VectorTable table, int runId, short side, CancellationToken cancellationToken = default)
    {
        await using var query = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid " +
            "WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace AND i.indisvalid)", connection);
        query.Parameters.Add(new NpgsqlParameter { Value = table.IndexName(runId, side) });
        return (bool)(await query.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Drops both sides' indexes of each run (a deleted run's rows go with it by foreign key; its indexes do not).</summary>
    public static async Task Drop(NpgsqlConnection connection, VectorTable table, IEnumerable<int> runIds, CancellationToken cancellationToken = default)
    {
        foreach (int runId in runIds)
            foreach (short side in new[] { VectorTable.Images, VectorTable.Texts })
                await Execute(connection, $"DROP INDEX CONCURRENTLY IF EXISTS {VectorTable.Quote(table.IndexName(runId, side))}", cancellationToken);
    }

    /// <summary>Reads the build's tuples done (pgvector counts the rows put in the graph) until cancelled.</summary>
    private static async Task Watch(NpgsqlDataSource dataSource, int buildPid, int rows, Action<double> progress, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var query = new NpgsqlCommand("SELECT tuples_done FROM pg_stat_progress_create_index WHERE pid = $1", connection);
            query.Parameters.Add(new NpgsqlParameter { Value = buildPid });
            double shown = 0;
            while (true)
            {
                await Task.Delay(PollEvery, cancellationToken);
                if (await query.ExecuteScalarAsync(cancellationToken) is long done && rows > 0)
                {
                    double share = Math.Min(1, (double)done / rows);
                    if (share > shown) progress(shown = share);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The build ended.
        }
        catch (NpgsqlException)
        {
            // Progress is a courtesy: the build goes on without it.
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
