using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SemiCmr.Web.Data;

/// <summary>
/// Lets `dotnet ef migrations add NAME --context SqliteSemiCmrDb --output-dir Data/Migrations/Sqlite` build the SQLite
/// model without starting the app (no database is opened).
/// </summary>
public sealed class SqliteDesignTimeDbFactory : IDesignTimeDbContextFactory<SqliteSemiCmrDb>
{
    public SqliteSemiCmrDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SemiCmrDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>The same for `--context PostgresSemiCmrDb --output-dir Data/Migrations/Postgres` (no server is contacted).</summary>
public sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresSemiCmrDb>
{
    public PostgresSemiCmrDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SemiCmrDb>().UseNpgsql("Host=localhost", DatabaseExtensions.Npgsql).Options);
}
