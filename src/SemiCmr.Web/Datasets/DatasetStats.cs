using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

/// <summary>What a dataset's page and GET /api/datasets/{id} summarise of its items.</summary>
/// <param name="ClassCounts">Items per class (an item counts once per class it carries), indexed like the dataset's classes.</param>
public sealed record DatasetSummary(SplitCounts Splits, IReadOnlyList<Split> LabeledSplits, IReadOnlyList<int> ClassCounts, bool HasImages, bool HasTexts);

/// <summary>
/// Counts a dataset's items in the database (grouped in SQL, never loaded row by row), so the summary of a
/// million-item dataset costs a few aggregate queries. The one home of these counts for the API and the pages.
/// </summary>
public sealed class DatasetStats(IDbContextFactory<SemiCmrDb> dbFactory)
{
    public async Task<DatasetSummary> Read(int datasetId, int classCount, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = db.Items.AsNoTracking().Where(i => i.DatasetId == datasetId);
        var splits = await items.GroupBy(i => i.Split).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var labeledSplits = await items.Where(i => i.Labels.Count > 0).Select(i => i.Split).Distinct().ToListAsync(cancellationToken);
        // EF Core cannot group the elements of a JSON column on SQLite (it would need APPLY): SQLite's json_each can.
        var perClass = await db.Database.SqlQuery<ClassCount>($"""
            SELECT CAST(l.value AS INTEGER) AS Class, COUNT(*) AS Count
            FROM Items AS i, json_each(i.Labels) AS l
            WHERE i.DatasetId = {datasetId}
            GROUP BY l.value
            """).ToListAsync(cancellationToken);
        var counts = new int[classCount];
        foreach (var c in perClass.Where(c => c.Class >= 0 && c.Class < classCount)) counts[c.Class] = c.Count;
        return new DatasetSummary(
            new SplitCounts(splits.GetValueOrDefault(Split.Train), splits.GetValueOrDefault(Split.Val), splits.GetValueOrDefault(Split.Test)),
            [.. labeledSplits.Order()], counts,
            await items.AnyAsync(i => i.ImagePath != null, cancellationToken),
            await items.AnyAsync(i => i.Text != null, cancellationToken));
    }

    private sealed record ClassCount(int Class, int Count);
}
