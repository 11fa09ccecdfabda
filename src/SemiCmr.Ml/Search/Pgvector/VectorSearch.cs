using System.Globalization;
using Npgsql;

namespace SemiCmr.Ml.Search.Pgvector;

/// <summary>
/// The rows a search may return (a label filter): <paramref name="AllowedRows"/> is a query whose one column, named
/// <c>row</c>, lists them without repeats, with its parameters named <c>@...</c>.
/// </summary>
public sealed record VectorFilter(string AllowedRows, IReadOnlyList<NpgsqlParameter> Parameters);

/// <summary>
/// Cosine search answered by PostgreSQL over one run's side of a <see cref="VectorTable"/>: <c>ORDER BY embedding &lt;=&gt;
/// query LIMIT k</c>. Approximate through the run's HNSW index (the query orders by the same typed expression the
/// partial index is built on, with the run and side as literals, so the planner can match it), exact otherwise (the
/// untyped column matches no index: a scan of the run's rows). Scores are 1 - cosine distance; equal scores go by lower
/// row, as in-process. A filtered search is exact over the allowed rows, read from the filter first and looked up by
/// key: pgvector's filtered walk (iterative scan) returned full pages but only 64% of the true top 10 at 100,000
/// items with a tenth of them allowed, since a query among other classes' items walks its own class first.
/// An approximate page that comes back short is asked again exactly, as <see cref="HnswIndex"/> falls back to its exact scan.
/// </summary>
public static class VectorSearch
{
    /// <summary>pgvector's largest hnsw.ef_search.</summary>
    public const int MaxEfSearch = 1000;

    /// <summary>
    /// Past this many hits (a deep page), walking the graph costs more than the exact scan (the in-process index's rule too).
    /// </summary>
    public const int MaxApproximateFetch = 4096;

    /// <summary>
    /// The page [offset, offset + k) of the run's side ranked by cosine to <paramref name="query"/>, among the rows
    /// <paramref name="filter"/> allows. <paramref name="efSearch"/> null searches exactly; <paramref name="candidates"/>
    /// is how many rows could match (a shorter approximate page than that allows is redone exactly).
    /// </summary>
    public static async Task<IReadOnlyList<VectorHit>> Page(NpgsqlConnection connection, VectorTable table, int runId, short side, int dimensions,
        float[] query, int k, int offset, VectorFilter? filter, int? efSearch, int candidates, CancellationToken cancellationToken = default)
    {
        int keep = (int)Math.Min((long)offset + k, candidates);
        if (keep <= offset || k <= 0) return [];
        if (efSearch is { } ef && filter is null && keep <= MaxApproximateFetch)
        {
            var approximate = await Ranked(connection, table, runId, side, dimensions, query, keep, offset, filter, ef, cancellationToken);
            if (approximate.Count == keep - offset) return approximate;
        }
        return await Ranked(connection, table, runId, side, dimensions, query, keep, offset, filter, null, cancellationToken);
    }

    private static async Task<IReadOnlyList<VectorHit>> Ranked(NpgsqlConnection connection, VectorTable table, int runId, short side, int dimensions,
        float[] query, int keep, int offset, VectorFilter? filter, int? efSearch, CancellationToken cancellationToken)
    {
        // Literals, not parameters, for what the partial index's predicate and expression name: a generic plan could not match them.
        string distance = efSearch is null ? $"v.\"{VectorTable.Embedding}\" <=> @query" : $"v.{VectorTable.Typed(dimensions)} <=> @query";
        string run = string.Create(CultureInfo.InvariantCulture, $"v.\"{VectorTable.RunId}\" = {runId} AND v.\"{VectorTable.Side}\" = {side}");
        // Filtered: the allowed rows first, then each one's vector by the table's key (run, side, row).
        string source = filter is null
            ? $"{table.Quoted} v WHERE {run}"
            : $"allowed a JOIN {table.Quoted} v ON {run} AND v.\"{VectorTable.Row}\" = a.row";
        string sql = (filter is null ? "WITH " : $"WITH allowed AS MATERIALIZED ({filter.AllowedRows}), ") +
            $"nearest AS MATERIALIZED (SELECT v.\"{VectorTable.Row}\" AS row, {distance} AS distance FROM {source} " +
            $"ORDER BY {distance} LIMIT @keep) " +
            "SELECT row, distance FROM nearest ORDER BY distance, row OFFSET @offset";

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (efSearch is { } ef)
        {
            // SET LOCAL: the settings end with this transaction, so a pooled connection is handed back as it came.
            string settings = string.Create(CultureInfo.InvariantCulture,
                $"SET LOCAL hnsw.ef_search = {Math.Clamp(Math.Max(ef, keep), 1, MaxEfSearch)}");
            await using var set = new NpgsqlCommand(settings, connection, transaction);
            await set.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("query", new global::Pgvector.Vector(query));
        command.Parameters.AddWithValue("keep", keep);
        command.Parameters.AddWithValue("offset", offset);
        foreach (var parameter in filter?.Parameters ?? []) command.Parameters.Add(parameter.Clone());
        var hits = new List<VectorHit>(keep - offset);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                hits.Add(new VectorHit(reader.GetInt32(0), (float)(1 - reader.GetDouble(1))));
        await transaction.CommitAsync(cancellationToken);
        return hits;
    }
}
