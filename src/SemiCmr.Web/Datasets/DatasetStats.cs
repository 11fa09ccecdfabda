using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

/// <summary>What a dataset's page and GET /api/datasets/{id} summarise of its items.</summary>
/// <param name="ClassCounts">Items per class (an item counts once per class it carries), indexed like the dataset's classes.</param>
public sealed record DatasetSummary(SplitCounts Splits, IReadOnlyList<Split> LabeledSplits, IReadOnlyList<int> ClassCounts, bool HasImages, bool HasTexts);

/// <summary>
/// Counts a dataset's items in the database, grouped in SQL over indexes and never loaded row by row, so the summary
/// of a million-item dataset is a pass over two indexes. The one home of these counts for the API and the pages.
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
        // Items by split, labeled or not (the one definition, Item.HasLabels): a few groups, read from an index.
        var groups = await db.Items.Where(i => i.DatasetId == datasetId).GroupBy(i => new { i.Split, i.HasLabels })
            .Select(g => new { g.Key.Split, g.Key.HasLabels, Count = g.Count() }).ToListAsync(cancellationToken);
        // Items per class: an item counts once per class it carries, one range of the ItemLabels key per class.
        var perClass = await db.ItemLabels.Where(l => l.DatasetId == datasetId).GroupBy(l => l.ClassIndex)
            .Select(g => new { Class = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var counts = new int[classCount];
        foreach (var c in perClass.Where(c => c.Class >= 0 && c.Class < classCount)) counts[c.Class] = c.Count;
        int InSplit(Split split) => groups.Where(g => g.Split == split).Sum(g => g.Count);
        var items = db.Items.AsNoTracking().Where(i => i.DatasetId == datasetId);
        return new DatasetSummary(
            new SplitCounts(InSplit(Split.Train), InSplit(Split.Val), InSplit(Split.Test)),
            [.. groups.Where(g => g.HasLabels && g.Count > 0).Select(g => g.Split).Distinct().Order()], counts,
            await items.AnyAsync(i => i.ImagePath != null, cancellationToken),
            await items.AnyAsync(i => i.Text != null, cancellationToken));
    }
}
