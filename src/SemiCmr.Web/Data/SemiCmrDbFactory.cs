using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Data;

/// <summary>Hands out the configured provider's context (Database:Provider); the options already name the provider.</summary>
public sealed class SemiCmrDbFactory(DbContextOptions<SemiCmrDb> options, IOptions<DatabaseOptions> database) : IDbContextFactory<SemiCmrDb>
{
    public SemiCmrDb CreateDbContext() =>
        database.Value.IsPostgres ? new PostgresSemiCmrDb(options) : new SqliteSemiCmrDb(options);
}
