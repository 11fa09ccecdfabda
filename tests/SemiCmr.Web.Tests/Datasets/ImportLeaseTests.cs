using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Tests.Datasets;

/// <summary>
/// PostgreSQL: instances share the database and the data folder, and each imports what it received, so an instance
/// that starts leaves the others' imports alone; an import whose instance stopped renewing its lease is failed by any
/// instance, with what it wrote removed. (SQLite's one app fails its interrupted imports when it restarts: RestartTests.)
/// </summary>
public sealed class ImportLeaseTests
{
    private const string PostgresOnly = "import leases are PostgreSQL's (instances sharing a database); on SQLite a restart fails interrupted imports (RestartTests)";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Short leases, renewals and recovery, so an expired lease is found within a second.</summary>
    private static readonly Dictionary<string, string> ShortLeases = new()
    {
        ["Worker:LeaseSeconds"] = "1", ["Worker:RenewSeconds"] = "0.2", ["Worker:RecoverySeconds"] = "0.2",
    };

    [Fact]
    public async Task ASecondInstanceStartingLeavesAnotherInstancesImportAloneAndItFinishesReady()
    {
        if (!TestDatabase.IsPostgres) Assert.Skip(PostgresOnly);
        await using var first = SemiCmrApp.InTempFolders();
        foreach (var (key, value) in ShortLeases) first.Settings[key] = value;
        first.CreateClient();
        string folder = TinyDatasets.Write(first.ImportRoot, "tiny");
        // As the first instance's request left it: an Importing row with a live lease, its job about to run there.
        int id = await AddImporting(first, leaseSeconds: 30);

        await using var second = new SemiCmrApp(first.DataDirectory, first.ImportRoot);
        foreach (var (key, value) in ShortLeases) second.Settings[key] = value;
        second.CreateClient();
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel); // five recovery rounds on each instance
        var waiting = await Row(first, id);
        Assert.Equal((DatasetStatus.Importing, null), (waiting.Status, waiting.Error));

        first.Services.GetRequiredService<ImportQueue>().Enqueue(new ImportJob(id, Folder: folder, TextEncoder: "tfidf"));
        var imported = await second.WaitForDataset(id);
        var row = await Row(first, id);

        Assert.Equal((DatasetStatus.Ready, 4, null), (imported.Status, imported.ItemCount, imported.Error));
        Assert.Null(row.ImportLeaseExpiresAt);
        Assert.True(File.Exists(Path.Combine(first.DataDirectory, "datasets", id.ToString(), "items.csv")));
    }

    [Fact]
    public async Task AnImportWhoseLeaseExpiredFailsWithItsRowsAndFoldersRemovedAndALiveOneIsRenewed()
    {
        if (!TestDatabase.IsPostgres) Assert.Skip(PostgresOnly);
        await using var app = SemiCmrApp.InTempFolders();
        // Recovery is slow here until the rows below are in place; the second app looks every 0.2 s.
        app.Settings["Worker:RecoverySeconds"] = "600";
        app.CreateClient();
        int expired = await AddImporting(app, leaseSeconds: -1);
        int live = await AddImporting(app, leaseSeconds: 60);
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>();
        var items = Enumerable.Range(0, 20).Select(i => new DatasetItem($"item{i}", Split.Train, [i % 2])).ToList();
        foreach (int id in new[] { expired, live })
            await ItemRows.Insert(dbFactory, id, items, new Progress<Ml.Import.ImportProgress>(), TimeProvider.System, Cancel);
        var paths = app.Services.GetRequiredService<AppPaths>();
        string[] folders = [paths.Dataset(expired) + ".importing", paths.Dataset(expired) + ".source", paths.Dataset(expired)];
        foreach (string folder in folders) File.WriteAllText(Path.Combine(Directory.CreateDirectory(folder).FullName, "part"), "x");
        string liveStaging = Directory.CreateDirectory(paths.Dataset(live) + ".importing").FullName;
        var liveLease = (await Row(app, live)).ImportLeaseExpiresAt!.Value;

        var renewed = await app.Services.GetRequiredService<ImportLeases>().Renew([live, 999_999], Cancel);
        await using var other = new SemiCmrApp(app.DataDirectory, app.ImportRoot);
        foreach (var (key, value) in ShortLeases) other.Settings[key] = value;
        var failed = await other.WaitForDataset(expired);

        Assert.Equal([live], renewed); // renewing only extends what is still importing
        Assert.Equal((DatasetStatus.Failed, ImportLeases.InterruptedError), (failed.Status, failed.Error));
        await using var db = await dbFactory.CreateDbContextAsync(Cancel);
        Assert.Equal(0, await db.Items.CountAsync(i => i.DatasetId == expired, Cancel));
        Assert.All(folders, folder => Assert.False(Directory.Exists(folder), $"{folder} is still there"));
        // The live import is untouched, its lease pushed back by the renewal (its 60 s became the configured 30 s: earlier).
        var kept = await Row(app, live);
        Assert.Equal(DatasetStatus.Importing, kept.Status);
        Assert.NotEqual(liveLease, kept.ImportLeaseExpiresAt);
        Assert.Equal(20, await db.Items.CountAsync(i => i.DatasetId == live, Cancel));
        Assert.True(Directory.Exists(liveStaging));
    }

    /// <summary>An Importing row whose lease ends <paramref name="leaseSeconds"/> from now by the database's clock.</summary>
    private static async Task<int> AddImporting(SemiCmrApp app, double leaseSeconds)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Cancel);
        var row = new Dataset { Name = "importing", Source = "folder", Status = DatasetStatus.Importing, CreatedAt = DateTime.UtcNow };
        db.Datasets.Add(row);
        await db.SaveChangesAsync(Cancel);
        var lease = TimeSpan.FromSeconds(leaseSeconds);
        await db.Database.ExecuteSqlAsync($"""UPDATE "Datasets" SET "ImportLeaseExpiresAt" = now() + {lease} WHERE "Id" = {row.Id}""", Cancel);
        return row.Id;
    }

    private static async Task<Dataset> Row(SemiCmrApp app, int id)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Cancel);
        return await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == id, Cancel);
    }
}
