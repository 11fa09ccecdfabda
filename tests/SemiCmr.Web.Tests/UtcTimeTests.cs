using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>Times go into the database as UTC and come back as UTC (Kind=Utc), through the one converter in SemiCmrDb.</summary>
public sealed class UtcTimeTests : IDisposable
{
    private static readonly DateTime Created = new(2026, 11, 29, 14, 5, 7, 123, DateTimeKind.Utc);
    private readonly string folder = TestPaths.NewTempFolder();

    private readonly IDbContextFactory<SemiCmrDb> factory;

    public UtcTimeTests() => factory = TestDatabase.NewFactory(Path.Combine(folder, "times.db"));

    private SemiCmrDb Open() => factory.CreateDbContext();

    [Fact]
    public async Task ATimeWrittenComesBackAsUtcWithTheSameInstantForPlainAndNullableProperties()
    {
        int runId = await WriteRun(Created, started: Created.AddMinutes(1));

        await using var db = Open();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, Cancel);
        var projected = await db.Runs.Where(r => r.Id == runId).Select(r => new { r.CreatedAt, r.StartedAt }).SingleAsync(Cancel);

        Assert.Equal((DateTimeKind.Utc, Created), (run.CreatedAt.Kind, run.CreatedAt));
        Assert.Equal((DateTimeKind.Utc, Created.AddMinutes(1)), (run.StartedAt!.Value.Kind, run.StartedAt.Value));
        Assert.Null(run.FinishedAt);
        Assert.Equal(DateTimeKind.Utc, projected.CreatedAt.Kind);
        Assert.Equal(DateTimeKind.Utc, projected.StartedAt!.Value.Kind);
    }

    [Fact]
    public async Task ATimeSetInTheDatabaseByAnUpdateAlsoComesBackAsUtc()
    {
        int runId = await WriteRun(Created, started: null);
        DateTime before = DateTime.UtcNow.AddSeconds(-1);

        await using var db = Open();
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.FinishedAt, DateTime.UtcNow), Cancel);
        var finished = (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, Cancel)).FinishedAt!.Value;

        Assert.Equal(DateTimeKind.Utc, finished.Kind);
        Assert.InRange(finished, before, DateTime.UtcNow.AddSeconds(1));
    }

    [Theory]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)]
    public async Task ATimeThatIsNotUtcIsRefusedAndNothingIsStored(DateTimeKind kind)
    {
        var notUtc = DateTime.SpecifyKind(Created, kind);

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => WriteRun(notUtc, started: null));

        Assert.Contains($"kind {kind}", refused.InnerException!.Message);
        Assert.Contains("UTC only", refused.InnerException.Message);
        await using var db = Open();
        Assert.Empty(await db.Runs.ToListAsync(Cancel));
    }

    [Fact]
    public async Task TheConverterNeedsNoSchemaChangeTheModelStillMatchesTheLastMigration()
    {
        await using var db = Open();
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void NoCodeInSrcFixesUpADateTimeKindTheConverterIsTheOnePlace()
    {
        var callers = Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("DateTime.SpecifyKind", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(TestPaths.RepoRoot, f).Replace('\\', '/'));

        Assert.Equal(["src/SemiCmr.Web/Data/UtcDateTimeConverter.cs"], callers);
    }

    private async Task<int> WriteRun(DateTime created, DateTime? started)
    {
        await using var db = Open();
        await db.Database.MigrateAsync(Cancel);
        var dataset = new Dataset { Name = "d", Source = "folder", Status = DatasetStatus.Ready, CreatedAt = DateTime.UtcNow };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Cancel);
        var run = new Run
        {
            DatasetId = dataset.Id, Method = Method.Cca, LabelRatio = 1, Seed = 1, Status = RunStatus.Running,
            OptionsJson = RunJson.Serialize(TrainingOptions.Default), CreatedAt = created, StartedAt = started,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(Cancel);
        return run.Id;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
