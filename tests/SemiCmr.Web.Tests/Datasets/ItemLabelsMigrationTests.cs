using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Tests.Datasets;

/// <summary>
/// A database written before the ItemLabels table (labels in a JSON column of Items) is upgraded by the app's
/// migrations at start: every item keeps its labels, as label rows and as HasLabels, and the lists filter on them.
/// </summary>
public sealed class ItemLabelsMigrationTests : IDisposable
{
    private const string BeforeItemLabels = "20261201153456_TruncatedTexts";
    private readonly string folder = TestPaths.NewTempFolder();

    // Row: labels as the JSON column held them (an unlabeled item, a multi-label one, one label listed twice).
    private static readonly (string Split, string Labels)[] Stored =
        [("Train", "[0]"), ("Train", "[]"), ("Train", "[1,2]"), ("Test", "[2]"), ("Test", "[]"), ("Val", "[0,0]")];

    private static readonly int[][] Expected = [[0], [], [1, 2], [2], [], [0]];

    [Fact]
    public async Task ItemsKeepTheirLabelsAsLabelRowsAndHasLabels()
    {
        int datasetId = await WriteOldDatabase();

        await using (var db = Open()) await db.Database.MigrateAsync(Cancel);

        await using (var db = Open())
        {
            var items = await DatabaseLabels.ItemsByRow(db, datasetId, Cancel); // also checks HasLabels against the rows
            Assert.Equal(Expected, items.Select(i => i.Labels.ToArray()));
            Assert.Equal(Expected.Select(l => l.Length > 0), await db.Items.Where(i => i.DatasetId == datasetId).OrderBy(i => i.Row).Select(i => i.HasLabels).ToListAsync(Cancel));
        }
        using var cache = new ResourceCache(Options.Create(new CacheOptions()), NullLogger<ResourceCache>.Instance);
        var queries = new ItemQueries(new Factory(ConnectionString), cache);
        Assert.Equal([2, 3], Rows(await queries.Page(datasetId, new ItemQuery(Label: 2), 0, 50, Cancel)));
        Assert.Equal([1, 4], Rows(await queries.Page(datasetId, new ItemQuery(Labeled: false), 0, 50, Cancel)));
        Assert.Equal(["b", "c"], (await queries.Page(datasetId, new ItemQuery(), 2, 1, Cancel)).Value!.Items.Single().Labels);
    }

    [Fact]
    public async Task MigratingBackPutsTheLabelsIntoTheJsonColumnAgain()
    {
        int datasetId = await WriteOldDatabase();
        await using (var db = Open()) await db.Database.MigrateAsync(Cancel);

        await using (var db = Open()) await db.GetService<IMigrator>().MigrateAsync(BeforeItemLabels, Cancel);

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT "Labels" FROM "Items" WHERE "DatasetId" = {datasetId} ORDER BY "Row" """;
        var labels = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Cancel))
            while (await reader.ReadAsync(Cancel)) labels.Add(reader.GetString(0));
        Assert.Equal(Expected.Select(l => "[" + string.Join(",", l) + "]"), labels);
    }

    /// <summary>The schema of the migration before ItemLabels, with rows written in it as that version of the app wrote them.</summary>
    private async Task<int> WriteOldDatabase()
    {
        await using (var db = Open()) await db.GetService<IMigrator>().MigrateAsync(BeforeItemLabels, Cancel);
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO "Datasets" ("Name", "Status", "Source", "ItemCount", "ImageDim", "TextDim", "IsMultiLabel", "Classes", "CreatedAt")
            VALUES ('old', 'Ready', 'folder', 6, 3, 3, 1, '["a","b","c"]', '2026-11-30 10:00:00');
            SELECT last_insert_rowid();
            """;
        int datasetId = Convert.ToInt32(await command.ExecuteScalarAsync(Cancel), System.Globalization.CultureInfo.InvariantCulture);
        for (int row = 0; row < Stored.Length; row++)
        {
            command.CommandText = $"""
                INSERT INTO "Items" ("DatasetId", "Row", "ExternalId", "Split", "Labels") VALUES ({datasetId}, {row}, 'item{row}', '{Stored[row].Split}', '{Stored[row].Labels}')
                """;
            await command.ExecuteNonQueryAsync(Cancel);
        }
        return datasetId;
    }

    private static List<int> Rows(Api.Outcome<ItemPage> page) => [.. page.Value!.Items.Select(i => i.Row)];

    private string ConnectionString => $"Data Source={Path.Combine(folder, "old.db")};Pooling=False";

    private SemiCmrDb Open() => new SqliteSemiCmrDb(new DbContextOptionsBuilder<SemiCmrDb>().UseSqlite(ConnectionString).Options);

    private sealed class Factory(string connectionString) : IDbContextFactory<SemiCmrDb>
    {
        public SemiCmrDb CreateDbContext() => new SqliteSemiCmrDb(new DbContextOptionsBuilder<SemiCmrDb>().UseSqlite(connectionString).Options);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
