using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SemiCmr.Ml.Search.Pgvector;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Search;

/// <summary>
/// A run searched by PostgreSQL (<see cref="VectorSearch"/>): its vectors are rows of the vectors table, approximate
/// through its HNSW indexes when they exist (runs above Search:ApproximateAbove) with hnsw.ef_search from
/// Search:HnswExpansion, exact otherwise. A label filter is exact over the items carrying the classes, read from
/// ItemLabels in the same statement, so the labels are always today's; item ids are looked up in Items. Holds no vectors itself, only what a query needs to be
/// written: kept in the cache like the in-process index, so a search costs one statement (two by item, two filtered).
/// </summary>
public sealed class PgvectorRunIndex(RunVectorStore store, IDbContextFactory<SemiCmrDb> dbFactory, int runId, int datasetId, int items, int dimensions,
    bool approximate, int efSearch) : IRunIndex
{
    public int DatasetId => datasetId;

    /// <summary>The run's index, or null when it has no vectors in PostgreSQL (it was trained before they were written there).</summary>
    public static async Task<PgvectorRunIndex?> Open(RunVectorStore store, IDbContextFactory<SemiCmrDb> dbFactory, int runId, int efSearch)
    {
        int datasetId, items;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var run = await db.Runs.Where(r => r.Id == runId).Select(r => new { r.DatasetId, r.Dataset!.ItemCount }).SingleAsync();
            (datasetId, items) = (run.DatasetId, run.ItemCount);
        }
        await using var connection = await store.DataSource.OpenConnectionAsync();
        await using var dimensions = new NpgsqlCommand(
            $"SELECT vector_dims(\"{VectorTable.Embedding}\") FROM {RunVectorStore.Table.Quoted} WHERE \"{VectorTable.RunId}\" = $1 LIMIT 1", connection);
        dimensions.Parameters.Add(new NpgsqlParameter { Value = runId });
        if (await dimensions.ExecuteScalarAsync() is not int size) return null;
        bool indexed = await VectorIndexBuild.Exists(connection, RunVectorStore.Table, runId, VectorTable.Images)
            && await VectorIndexBuild.Exists(connection, RunVectorStore.Table, runId, VectorTable.Texts);
        return new PgvectorRunIndex(store, dbFactory, runId, datasetId, items, size, indexed, efSearch);
    }

    public async Task<int?> RowOf(string itemId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Items.Where(i => i.DatasetId == datasetId && i.ExternalId == itemId).Select(i => (int?)i.Row).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<(IReadOnlyList<(int Row, float Score)> Hits, int Total)> Search(int queryRow, bool targetImages, int k, int offset,
        IReadOnlySet<int>? labelFilter, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var read = new NpgsqlCommand($"SELECT \"{VectorTable.Embedding}\" FROM {RunVectorStore.Table.Quoted} " +
            $"WHERE \"{VectorTable.RunId}\" = $1 AND \"{VectorTable.Side}\" = $2 AND \"{VectorTable.Row}\" = $3", connection);
        read.Parameters.Add(new NpgsqlParameter { Value = runId });
        read.Parameters.Add(new NpgsqlParameter { Value = targetImages ? VectorTable.Texts : VectorTable.Images });
        read.Parameters.Add(new NpgsqlParameter { Value = queryRow });
        var vector = await read.ExecuteScalarAsync(cancellationToken) as Pgvector.Vector
            ?? throw new InvalidDataException($"Run {runId} has no vector for row {queryRow}.");
        return await Rank(connection, vector.ToArray(), targetImages, k, offset, labelFilter, cancellationToken);
    }

    public async Task<(IReadOnlyList<(int Row, float Score)> Hits, int Total)> Search(float[] queryEmbedding, bool targetImages, int k, int offset,
        IReadOnlySet<int>? labelFilter, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        return await Rank(connection, queryEmbedding, targetImages, k, offset, labelFilter, cancellationToken);
    }

    private async Task<(IReadOnlyList<(int Row, float Score)> Hits, int Total)> Rank(NpgsqlConnection connection, float[] query, bool targetImages,
        int k, int offset, IReadOnlySet<int>? labelFilter, CancellationToken cancellationToken)
    {
        if (query.Length != dimensions)
            throw new ArgumentException($"The query has {query.Length} dimensions; run {runId} has {dimensions}.", nameof(query));
        VectorFilter? filter = null;
        int total = items;
        if (labelFilter is not null)
        {
            var classes = labelFilter.ToArray();
            filter = new VectorFilter(
                "SELECT DISTINCT \"Row\" AS row FROM \"ItemLabels\" WHERE \"DatasetId\" = @dataset AND \"ClassIndex\" = ANY(@classes)",
                [new NpgsqlParameter("dataset", datasetId), new NpgsqlParameter("classes", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = classes }]);
            total = await Candidates(connection, classes, cancellationToken);
        }
        var hits = await VectorSearch.Page(connection, RunVectorStore.Table, runId, targetImages ? VectorTable.Images : VectorTable.Texts, dimensions,
            query, k, offset, filter, approximate ? efSearch : null, total, cancellationToken);
        return (hits.Select(h => (h.Row, h.Score)).ToList(), total);
    }

    /// <summary>How many items carry any of the classes: a range of ItemLabels' key per class.</summary>
    private async Task<int> Candidates(NpgsqlConnection connection, int[] classes, CancellationToken cancellationToken)
    {
        await using var count = new NpgsqlCommand(
            "SELECT count(DISTINCT \"Row\")::int FROM \"ItemLabels\" WHERE \"DatasetId\" = $1 AND \"ClassIndex\" = ANY($2)", connection);
        count.Parameters.Add(new NpgsqlParameter { Value = datasetId });
        count.Parameters.Add(new NpgsqlParameter { Value = classes });
        return (int)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
