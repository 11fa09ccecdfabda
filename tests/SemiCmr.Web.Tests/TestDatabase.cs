using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Tests;

/// <summary>
/// The database the integration tests run on, one fixture for both providers: SQLite in SemiCmr.Web.Tests, PostgreSQL in
/// SemiCmr.Web.Postgres.Tests, which compiles these same sources with POSTGRES defined. On PostgreSQL every app and
/// component context gets a database of its own on the server named by <see cref="ServerVariable"/>, created empty here.
/// </summary>
public static class TestDatabase
{
#if POSTGRES
    public const string Provider = DatabaseOptions.Postgres;
#else
    public const string Provider = DatabaseOptions.Sqlite;
#endif

    /// <summary>A connection string to a PostgreSQL server (with pgvector) whose user may create databases; .ci/run sets it.</summary>
    public const string ServerVariable = "SEMICMR_TEST_POSTGRES";

    public static bool IsPostgres => Provider == DatabaseOptions.Postgres;

    public static string? Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server : null;

    /// <summary>Why the PostgreSQL tests cannot run here, or null when they can.</summary>
    public static string? MissingServer => Server is null
        ? $"no PostgreSQL server: set {ServerVariable} to a connection string whose user may create databases (build/postgres/throwaway-cluster.sh starts one)"
        : null;

    /// <summary>A new empty database on the test server; its connection string.</summary>
    public static string CreatePostgresDatabase()
    {
        string server = Server ?? throw new InvalidOperationException(MissingServer);
        string name = $"semicmr_test_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreatePostgresDatabase"/>, closing what still uses it.</summary>
    public static void DropPostgresDatabase(string connectionString)
    {
        string name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    /// <summary>A context factory on a new database (<paramref name="sqliteFile"/> or a PostgreSQL one), as the app registers it; no schema yet.</summary>
    public static IDbContextFactory<SemiCmrDb> NewFactory(string sqliteFile) =>
        new ServiceCollection().AddDatabase(sqliteFile).BuildServiceProvider().GetRequiredService<IDbContextFactory<SemiCmrDb>>();

    /// <summary>
    /// Registers IDbContextFactory&lt;SemiCmrDb&gt; as the app does, on <paramref name="sqliteFile"/> or on a new
    /// PostgreSQL database; the caller migrates it (Database.Migrate) before use.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services, string sqliteFile)
    {
        var database = new DatabaseOptions { Provider = Provider, ConnectionString = IsPostgres ? CreatePostgresDatabase() : null };
        services.AddSingleton(Options.Create(database));
        services.AddDbContextFactory<SemiCmrDb, SemiCmrDbFactory>(options =>
        {
            if (database.IsPostgres) options.UseNpgsql(database.ConnectionString, DatabaseExtensions.Npgsql);
            else options.UseSqlite($"Data Source={sqliteFile};Pooling=False");
        });
        return services;
    }
}
