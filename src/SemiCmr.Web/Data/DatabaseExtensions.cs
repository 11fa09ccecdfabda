using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;
using SemiCmr.Ml.Import;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// The database of Database:Provider (SQLite under the data folder by default, or PostgreSQL at
    /// ConnectionStrings:SemiCmr), reached through IDbContextFactory; migrated before anything else starts.
    /// </summary>
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDbContextFactory<SemiCmrDb, SemiCmrDbFactory>((services, options) =>
        {
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (database.IsPostgres) options.UseNpgsql(database.ConnectionString, Npgsql);
            else options.UseSqlite(ConnectionString(services.GetRequiredService<AppPaths>().Database));
        });
        // Registered before the workers so the schema exists when they recover interrupted jobs.
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    public static string ConnectionString(string databaseFile) => $"Data Source={databaseFile}";

    /// <summary>PostgreSQL settings shared by the app and design time: pgvector's vector type.</summary>
    public static void Npgsql(NpgsqlDbContextOptionsBuilder npgsql) => npgsql.UseVector();
}

/// <summary>
/// Creates the data folder (and the import folders inside it, so users see where server-side folders go), applies
/// migrations (on PostgreSQL several instances may start at once: EF Core's migration lock lets one migrate), switches
/// SQLite to WAL (readers never wait for the trainer) and removes the files a crash left behind (<see cref="LeftoverFiles"/>).
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<SemiCmrDb> factory, AppPaths paths, IOptions<DatabaseOptions> database, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.DataDirectory);
        foreach (var root in paths.AllowedRoots.Where(root => RealPaths.IsInside(paths.DataDirectory, root)))
            Directory.CreateDirectory(root);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        // The history table first: on a new PostgreSQL database EF Core would otherwise log a failed SELECT of it as an error.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (database.Value.IsPostgres)
        {
            // The vector type came with the migration's CREATE EXTENSION; Npgsql learns its OID on the next connection.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await ((Npgsql.NpgsqlConnection)db.Database.GetDbConnection()).ReloadTypesAsync(cancellationToken);
            await db.Database.CloseConnectionAsync();
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await LeftoverFiles.Remove(db, paths, shared: database.Value.IsPostgres, logger, cancellationToken);
        logger.LogInformation("Database ready: {Database}", Describe(database.Value, paths));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Where the rows are, for the log: the SQLite file, or the PostgreSQL host and database (never the password).</summary>
    public static string Describe(DatabaseOptions database, AppPaths paths)
    {
        if (!database.IsPostgres) return paths.Database;
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }
}
