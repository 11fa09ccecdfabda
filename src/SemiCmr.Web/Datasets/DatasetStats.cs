using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

/// <summary>What a dataset's page and GET /api/datasets/{id} summarise of its items.</summary>
/// <param name="ClassCounts">Items per class (an item counts once per class it carries), indexed like the dataset's classes.</param>
public sealed record DatasetSummary(SplitCounts Splits, IReadOnlyList<Split> LabeledSplits, IReadOnlyList<int> ClassCounts, bool HasImages, bool HasTexts);

/// <summary>
/// Counts a dataset's items in the database, grouped in SQL and never loaded row by row, so the summary of a
/// million-item dataset is one pass over its rows. The one home of these counts for the API and the pages.
/// </summary>
public sealed class DatasetStats(IDbContextFactory<SemiCmrDb> dbFactory)
{
    public async Task<SplitCounts> Splits(int datasetId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = await db.Items.Where(i => i.DatasetId == datasetId).GroupBy(i => i.Split)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return new SplitCounts(counts.GetValueOrDefault(Split.Train), counts.GetValueOrDefault(Split.Val), counts.GetValueOrDefault(Split.Test));
    }

    public async Task<DatasetSummary> Read(int datasetId, int classCount, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One pass: items grouped by split and label set (a handful of groups for single-label data). EF Core cannot
        // group by a JSON column, so this one query is SQL; the label sets are parsed here.
        var groups = await db.Database.SqlQuery<LabelGroup>($"""
            SELECT Split, Labels, COUNT(*) AS Count FROM Items WHERE DatasetId = {datasetId} GROUP BY Split, Labels
            """).ToListAsync(cancellationToken);
        var splits = new Dictionary<Split, int>();
        var labeledSplits = new HashSet<Split>();
        var counts = new int[classCount];
        foreach (var group in groups)
        {
            var split = Enum.Parse<Split>(group.Split, ignoreCase: true);
            var labels = JsonSerializer.Deserialize<int[]>(group.Labels) ?? [];
            splits[split] = splits.GetValueOrDefault(split) + group.Count;
            if (labels.Length > 0) labeledSplits.Add(split);
            foreach (int c in labels.Distinct().Where(c => c >= 0 && c < classCount)) counts[c] += group.Count;
        }
        var items = db.Items.AsNoTracking().Where(i => i.DatasetId == datasetId);
        return new DatasetSummary(
            new SplitCounts(splits.GetValueOrDefault(Split.Train), splits.GetValueOrDefault(Split.Val), splits.GetValueOrDefault(Split.Test)),
            [.. labeledSplits.Order()], counts,
            await items.AnyAsync(i => i.ImagePath != null, cancellationToken),
            await items.AnyAsync(i => i.Text != null, cancellationToken));
    }

    private sealed record LabelGroup(string Split, string Labels, int Count);
}
