using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace SemiCmr.Web.Data;

/// <summary>
/// The app's one database: datasets, items, budgets, runs, Identity's users and roles (AspNet* tables), their API tokens
/// and the audit log. The model is the same on both providers; each provider has its own subclass only so that its
/// migrations are found by context type (<see cref="SqliteSemiCmrDb"/>, <see cref="PostgresSemiCmrDb"/>, as EF Core's
/// "migrations with multiple providers" describes). Code asks for <c>IDbContextFactory&lt;SemiCmrDb&gt;</c>, which hands
/// out the configured provider's subclass (<see cref="SemiCmrDbFactory"/>).
/// </summary>
public abstract class SemiCmrDb(DbContextOptions options) : IdentityDbContext<IdentityUser>(options)
{
    /// <summary>
    /// When a user was created: a shadow column of AspNetUsers (Identity's user class has none), set on every new user
    /// row whoever adds it (the setup page, the users page, tests); null for users from before it existed.
    /// </summary>
    public const string UserCreatedAt = "CreatedAt";

    /// <summary>Room for a worker's id: a host name, a process id and a random part.</summary>
    public const int WorkerIdMaxLength = 200;

    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<ItemLabel> ItemLabels => Set<ItemLabel>();
    public DbSet<LabelBudget> Budgets => Set<LabelBudget>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<EpochMetric> EpochMetrics => Set<EpochMetric>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampNewUsers();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampNewUsers();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void StampNewUsers()
    {
        foreach (var added in ChangeTracker.Entries<IdentityUser>().Where(e => e.State == EntityState.Added))
            added.Property(UserCreatedAt).CurrentValue ??= DateTime.UtcNow;
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Enum names, not numbers: the database stays readable and survives reordering an enum.
        configuration.Properties<Enum>().HaveConversion<string>();
        // Times are UTC in and UTC out (Kind=Utc); the nullable DateTime? properties are matched too.
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.Entity<Dataset>(dataset =>
        {
            dataset.Property(d => d.Name).HasMaxLength(200);
            dataset.OwnsMany(d => d.Problems, problems => problems.ToJson());
            dataset.OwnsMany(d => d.Skipped, skipped => skipped.ToJson());
            dataset.OwnsMany(d => d.Truncated, truncated => truncated.ToJson());
            dataset.HasMany(d => d.Items).WithOne().HasForeignKey(i => i.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Item>(item =>
        {
            item.HasIndex(i => new { i.DatasetId, i.Row }).IsUnique();
            item.HasIndex(i => new { i.DatasetId, i.ExternalId }).IsUnique();
            // Labeled or not, with or without a split: counts and row-ordered pages are index ranges (ItemQueries).
            item.HasIndex(i => new { i.DatasetId, i.HasLabels, i.Row });
            item.HasIndex(i => new { i.DatasetId, i.Split, i.HasLabels, i.Row });
        });

        model.Entity<ItemLabel>(label =>
        {
            // Class first: the items carrying a class are one range. The second index reads a page's labels by row;
            // it holds the class too, or SQLite prefers the covering key and reads every label of the dataset.
            label.HasKey(l => new { l.DatasetId, l.ClassIndex, l.Row });
            label.HasIndex(l => new { l.DatasetId, l.Row, l.ClassIndex });
            label.HasOne<Dataset>().WithMany().HasForeignKey(l => l.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<LabelBudget>()
            .HasOne<Dataset>().WithMany().HasForeignKey(b => b.DatasetId).OnDelete(DeleteBehavior.Cascade);

        model.Entity<Run>(run =>
        {
            run.HasOne(r => r.Dataset).WithMany().HasForeignKey(r => r.DatasetId).OnDelete(DeleteBehavior.Cascade);
            run.HasOne(r => r.Budget).WithMany().HasForeignKey(r => r.BudgetId).OnDelete(DeleteBehavior.SetNull);
            run.HasIndex(r => r.Status);
            run.Property(r => r.WorkerId).HasMaxLength(WorkerIdMaxLength);
        });

        model.Entity<ApiToken>(token =>
        {
            token.HasOne<IdentityUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
            token.Property(t => t.Name).HasMaxLength(ApiToken.MaxNameLength);
            token.Property(t => t.Prefix).HasMaxLength(ApiToken.PrefixLength);
            token.Property(t => t.Role).HasMaxLength(32);
            token.HasIndex(t => t.Prefix);
            token.HasIndex(t => t.UserId);
        });

        model.Entity<IdentityUser>().Property<DateTime?>(UserCreatedAt);

        model.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.ActorId).HasMaxLength(450);
            entry.Property(e => e.ActorName).HasMaxLength(AuditEntry.MaxNameLength);
            entry.Property(e => e.SubjectId).HasMaxLength(450);
            entry.Property(e => e.SubjectName).HasMaxLength(AuditEntry.MaxNameLength);
            entry.Property(e => e.Detail).HasMaxLength(AuditEntry.MaxDetailLength);
            // Newest first is the primary key backwards; a filter by kind or by who is an index range in that order too.
            entry.HasIndex(e => new { e.Subject, e.Id });
            entry.HasIndex(e => new { e.ActorName, e.Id });
        });

        model.Entity<EpochMetric>(metric =>
        {
            metric.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
            metric.HasIndex(m => new { m.RunId, m.Id });
            metric.Property(m => m.Losses).HasConversion(
                losses => JsonSerializer.Serialize(losses, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<Dictionary<string, double>>(json, JsonSerializerOptions.Default) ?? new(),
                new ValueComparer<Dictionary<string, double>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    losses => losses.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)),
                    losses => new Dictionary<string, double>(losses)));
        });
    }
}
