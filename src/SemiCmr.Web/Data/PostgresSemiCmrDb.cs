using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Search.Pgvector;

namespace SemiCmr.Web.Data;

/// <summary>
/// The team deployment: a shared PostgreSQL with pgvector. Its migrations are in Data/Migrations/Postgres. Its model has
/// one table more than SQLite's: runs' embeddings (<see cref="RunVector"/>, <see cref="VectorTable"/>), searched there.
/// </summary>
public sealed class PostgresSemiCmrDb(DbContextOptions<SemiCmrDb> options) : SemiCmrDb(options)
{
    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.HasPostgresExtension("vector");
        model.Entity<RunVector>(vector =>
        {
            vector.ToTable(VectorTable.RunVectors.Name);
            vector.HasKey(v => new { v.RunId, v.Side, v.Row });
            // Untyped: runs differ in size. Each run's HNSW index casts it to the run's size (VectorIndexBuild).
            vector.Property(v => v.Embedding).HasColumnType("vector");
            vector.HasOne<Run>().WithMany().HasForeignKey(v => v.RunId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
