using Npgsql;
using NpgsqlTypes;

namespace SemiCmr.Ml.Search.Pgvector;

/// <summary>
/// Writes one side of a run into a <see cref="VectorTable"/> by binary COPY (Npgsql's bulk import: no SQL parsing per
/// row), in batches of <see cref="BatchRows"/> so progress can be told and a cancel is heard between them. The caller
/// owns the transaction: the batches of a run commit together or not at all.
/// </summary>
public static class VectorCopy
{
    public const int BatchRows = 10_000;

    /// <summary>Copies every row of <paramref name="rows"/> (as stored: cosine needs no normalising); reports rows written after each batch.</summary>
    public static async Task Write(NpgsqlConnection connection, VectorTable table, int runId, short side, ExactIndex rows,
        Action<int>? written = null, CancellationToken cancellationToken = default)
    {
        string copy = $"COPY {table.Quoted} (\"{VectorTable.RunId}\", \"{VectorTable.Side}\", \"{VectorTable.Row}\", \"{VectorTable.Embedding}\") FROM STDIN (FORMAT BINARY)";
        for (int start = 0; start < rows.Count; start += BatchRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int end = Math.Min(rows.Count, start + BatchRows);
            await using (var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken))
            {
                writer.Timeout = TimeSpan.Zero; // a batch of wide vectors on a busy server may take a while
                for (int row = start; row < end; row++)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(runId, NpgsqlDbType.Integer, cancellationToken);
                    await writer.WriteAsync(side, NpgsqlDbType.Smallint, cancellationToken);
                    await writer.WriteAsync(row, NpgsqlDbType.Integer, cancellationToken);
                    await writer.WriteAsync(new global::Pgvector.Vector(rows.Row(row).ToArray()), "vector", cancellationToken);
                }
                await writer.CompleteAsync(cancellationToken);
            }
            written?.Invoke(end);
        }
    }

    /// <summary>Deletes a run's rows (a retried or failed write); its indexes are dropped separately (<see cref="VectorIndexBuild.Drop"/>).</summary>
    public static async Task Delete(NpgsqlConnection connection, VectorTable table, int runId, CancellationToken cancellationToken = default)
    {
        await using var delete = new NpgsqlCommand($"DELETE FROM {table.Quoted} WHERE \"{VectorTable.RunId}\" = $1", connection);
        delete.Parameters.Add(new NpgsqlParameter { Value = runId });
        delete.CommandTimeout = 0;
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
