using Microsoft.EntityFrameworkCore;

namespace SemiCmr.Web.Data;

/// <summary>The team deployment: a shared PostgreSQL with pgvector. Its migrations are in Data/Migrations/Postgres.</summary>
public sealed class PostgresSemiCmrDb(DbContextOptions<SemiCmrDb> options) : SemiCmrDb(options)
{
    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.HasPostgresExtension("vector");
    }
}
