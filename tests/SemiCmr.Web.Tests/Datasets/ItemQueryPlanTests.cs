using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Data;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Tests.Components.Datasets;

namespace SemiCmr.Web.Tests.Datasets;

/// <summary>
/// The label and labeled filters of the items list are index ranges: SQLite's own plan for every query ItemQueries
/// runs (EXPLAIN QUERY PLAN, no statistics, so the same plan at four items as at a million) narrows Items and
/// ItemLabels by more than the dataset, scans no table and sorts nothing. A filter that read each of the dataset's
/// items (a JSON column tested row by row) took seconds at a million items; this holds without timing anything.
/// </summary>
public sealed class ItemQueryPlanTests : IDisposable
{
    private readonly string folder = TestPaths.NewTempFolder();

    // Not here: no filter at all and "unlabeled in a budget" read the dataset's rows by nature (the latter is counted
    // as all minus labeled, and its pages stop at the first rows that are not shown).
    // A budget's rows go to the database as the rows shown ("some": a, not b) or, when fewer, the candidates it hides ("all").
    public static TheoryData<Split?, int?, bool?, string> Filters => new()
    {
        { null, 1, null, "none" },
        { Split.Test, 1, null, "none" },
        { null, null, true, "none" },
        { null, null, false, "none" },
        { Split.Train, null, true, "none" },
        { Split.Test, null, false, "none" },
        { null, 0, true, "none" },
        { null, null, true, "some" },    // labeled in a budget
        { Split.Train, 0, true, "some" },
        { null, null, true, "all" },
        { Split.Train, 0, true, "all" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task EveryQueryOfTheFilterNarrowsByAnIndexBeyondTheDataset(Split? split, int? label, bool? labeled, string budget)
    {
        var plans = new PlanRecorder();
        var dbFactory = new Factory($"Data Source={Path.Combine(folder, "plans.db")};Pooling=False", plans);
        int datasetId = await WriteTinyDataset(dbFactory);
        plans.Plans.Clear();

        using var cache = new ResourceCache(Options.Create(new CacheOptions()), NullLogger<ResourceCache>.Instance);
        int[]? shown = budget switch { "some" => [0, 2], "all" => [0, 1], _ => null }; // a, b train; c, d test
        var page = await new ItemQueries(dbFactory, cache).Page(datasetId, new ItemQuery(split, label, labeled, shown), 0, 10, Cancel);

        Assert.Null(page.Problem);
        var itemPlans = plans.Plans.Where(p => p.Sql.Contains("\"Items\"", StringComparison.Ordinal) || p.Sql.Contains("\"ItemLabels\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(itemPlans);
        Assert.All(itemPlans, p => Assert.All(p.Lines, line =>
        {
            Assert.False(line.StartsWith("SCAN", StringComparison.Ordinal) && !line.Contains("VIRTUAL TABLE", StringComparison.Ordinal), $"{line}\n{p.Sql}");
            Assert.False(line.Contains("TEMP B-TREE", StringComparison.Ordinal), $"{line}\n{p.Sql}");
            if (line.Contains("IX_Items_", StringComparison.Ordinal) || line.Contains("ItemLabels", StringComparison.Ordinal))
                Assert.True(line.Contains(" AND ", StringComparison.Ordinal), $"only the dataset narrows this read: {line}\n{p.Sql}");
        }));
    }

    private static async Task<int> WriteTinyDataset(IDbContextFactory<SemiCmrDb> dbFactory)
    {
        var source = ComponentDb.Tiny();
        await using var db = await dbFactory.CreateDbContextAsync(Cancel);
        await db.Database.MigrateAsync(Cancel);
        var dataset = new Dataset { Name = "plans", Source = "folder", Status = DatasetStatus.Ready, ItemCount = 4, Classes = [.. source.ClassNames], CreatedAt = DateTime.UtcNow };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Cancel);
        await ItemRows.Insert(dbFactory, dataset.Id, source.Items, new Progress<Ml.Import.ImportProgress>(), TimeProvider.System, Cancel);
        return dataset.Id;
    }

    /// <summary>Asks SQLite for the plan of each query before it runs, with the same parameters, on the same connection.</summary>
    private sealed class PlanRecorder : DbCommandInterceptor
    {
        public List<(string Sql, List<string> Lines)> Plans { get; } = [];

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                await using var explain = command.Connection!.CreateCommand();
                explain.Transaction = command.Transaction;
                explain.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
                foreach (DbParameter parameter in command.Parameters)
                {
                    var copy = explain.CreateParameter();
                    (copy.ParameterName, copy.Value, copy.DbType) = (parameter.ParameterName, parameter.Value, parameter.DbType);
                    explain.Parameters.Add(copy);
                }
                var lines = new List<string>();
                await using (var reader = await explain.ExecuteReaderAsync(cancellationToken))
                    while (await reader.ReadAsync(cancellationToken)) lines.Add(reader.GetString(3));
                Plans.Add((command.CommandText, lines));
            }
            return result;
        }
    }

    private sealed class Factory(string connectionString, PlanRecorder plans) : IDbContextFactory<SemiCmrDb>
    {
        public SemiCmrDb CreateDbContext() => new SqliteSemiCmrDb(new DbContextOptionsBuilder<SemiCmrDb>().UseSqlite(connectionString).AddInterceptors(plans).Options);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
