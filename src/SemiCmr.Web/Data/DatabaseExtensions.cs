using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Import;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Data;

public static class DatabaseExtensions
{
    /// <summary>SQLite under the data folder, reached through IDbContextFactory; migrated before anything else starts.</summary>
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDbContextFactory<SemiCmrDb>((services, options) =>
            options.UseSqlite(ConnectionString(services.GetRequiredService<AppPaths>().Database)));
        // Registered before the workers so the schema exists when they recover interrupted jobs.
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    public static string ConnectionString(string databaseFile) => $"Data Source={databaseFile}";
}

/// <summary>
/// Creates the data folder (and the import folders inside it, so users see where server-side folders go),
/// applies migrations, switches the database to WAL (readers never wait for the trainer) and removes the files
/// a crash left behind (<see cref="LeftoverFiles"/>).
/// </summary>
public sealed class DatabaseInitializer(IDbContextFactory<SemiCmrDb> factory, AppPaths paths, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.DataDirectory);
        foreach (var root in paths.AllowedRoots.Where(root => RealPaths.IsInside(paths.DataDirectory, root)))
            Directory.CreateDirectory(root);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await LeftoverFiles.Remove(db, paths, logger, cancellationToken);
        logger.LogInformation("Database ready at {Database}", paths.Database);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
