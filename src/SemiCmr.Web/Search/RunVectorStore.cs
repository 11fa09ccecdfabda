using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector.Npgsql;
using SemiCmr.Ml.Search.Pgvector;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Search;

/// <summary>
/// The app's door to runs' vectors in PostgreSQL (Database:Provider=postgres): a connection pool that knows pgvector's
/// type, for the COPY, index builds and searches (<see cref="RunVectorWriter"/>, <see cref="PgvectorRunIndex"/>), and the
/// clean-up after deletes. With SQLite it is not in use: vectors stay in the run folders.
/// </summary>
public sealed class RunVectorStore(IOptions<DatabaseOptions> database, ILogger<RunVectorStore> logger) : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> dataSource = new(() =>
    {
        var builder = new NpgsqlDataSourceBuilder(database.Value.ConnectionString);
        builder.UseVector();
        return builder.Build();
    });

    public static VectorTable Table => VectorTable.RunVectors;

    /// <summary>True on PostgreSQL: runs' vectors are written there and searched there.</summary>
    public bool InUse => database.Value.IsPostgres;

    public NpgsqlDataSource DataSource => InUse ? dataSource.Value : throw new InvalidOperationException("Runs' vectors are in PostgreSQL only with Database:Provider=postgres.");

    /// <summary>
    /// Drops the HNSW indexes of deleted runs (their rows went with them by foreign key). Called after the delete commits:
    /// a concurrent drop cannot run in a transaction. A failure is logged and leaves only an empty index behind.
    /// </summary>
    public async Task DropIndexes(IReadOnlyCollection<int> runIds)
    {
        if (!InUse || runIds.Count == 0) return;
        try
        {
            await using var connection = await DataSource.OpenConnectionAsync();
            await VectorIndexBuild.Drop(connection, Table, runIds);
        }
        catch (NpgsqlException e)
        {
            logger.LogWarning(e, "The vector indexes of deleted runs {RunIds} could not be dropped", string.Join(", ", runIds));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (dataSource.IsValueCreated) await dataSource.Value.DisposeAsync();
    }
}
