using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// The one home of an item's labels in the database. An item's labels are its <see cref="ItemLabel"/> rows and
/// <see cref="Item.HasLabels"/> says whether it has any; both are written here and nowhere else, always together
/// (an import's batches, an annotation), so "labeled" can never disagree with the labels themselves.
/// </summary>
public static class ItemLabelStore
{
    /// <summary>
    /// The one definition of a labeled item in a query (<see cref="Item.HasLabels"/>). Compared with a parameter,
    /// not written as a bare column, so SQLite matches it against the (DatasetId, [Split,] HasLabels, Row) indexes.
    /// </summary>
    public static Expression<Func<Item, bool>> IsLabeled(bool labeled = true) => i => i.HasLabels == labeled;

    /// <summary>
    /// Writes a batch of new items with their labels in one transaction: the items through EF Core (nothing links them
    /// in the change tracker, so a batch costs no fix-up at any dataset size), their label rows as one INSERT over
    /// array parameters, since as tracked entities they doubled the time an import spends saving.
    /// </summary>
    public static async Task InsertNew(SemiCmrDb db, IReadOnlyList<(Item Item, IReadOnlyList<int> Labels)> batch, CancellationToken cancellationToken)
    {
        var labelRows = new List<int[]>();
        foreach (var (item, labels) in batch)
        {
            var distinct = labels.Distinct().ToList();
            item.HasLabels = distinct.Count > 0;
            db.Items.Add(item);
            labelRows.AddRange(distinct.Select(c => new[] { item.DatasetId, c, item.Row }));
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await InsertLabelRows(db, labelRows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// (dataset, class, row) triples in one statement whatever their number: SQLite reads one JSON parameter with
    /// json_each, PostgreSQL unnests three arrays (one parameter per value would pass either's parameter limit).
    /// </summary>
    private static async Task InsertLabelRows(SemiCmrDb db, List<int[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        if (db.Database.IsNpgsql())
        {
            int[] datasets = [.. rows.Select(r => r[0])], classes = [.. rows.Select(r => r[1])], itemRows = [.. rows.Select(r => r[2])];
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ItemLabels" ("DatasetId", "ClassIndex", "Row") SELECT * FROM unnest({datasets}, {classes}, {itemRows})
                """, cancellationToken);
            return;
        }
        string json = JsonSerializer.Serialize(rows);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ItemLabels" ("DatasetId", "ClassIndex", "Row")
            SELECT json_extract("value", '$[0]'), json_extract("value", '$[1]'), json_extract("value", '$[2]') FROM json_each({json})
            """, cancellationToken);
    }

    /// <summary>Replaces an item's labels (class indices; none makes it unlabeled) in one transaction.</summary>
    public static async Task Replace(SemiCmrDb db, Item item, IReadOnlyCollection<int> labels, CancellationToken cancellationToken)
    {
        var distinct = labels.Distinct().ToList();
        bool hasLabels = distinct.Count > 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ItemLabels.Where(l => l.DatasetId == item.DatasetId && l.Row == item.Row).ExecuteDeleteAsync(cancellationToken);
        db.ItemLabels.AddRange(distinct.Select(c => new ItemLabel { DatasetId = item.DatasetId, Row = item.Row, ClassIndex = c }));
        await db.SaveChangesAsync(cancellationToken);
        await db.Items.Where(i => i.DatasetId == item.DatasetId && i.Row == item.Row)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.HasLabels, hasLabels), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        item.HasLabels = hasLabels;
    }

    /// <summary>Removes every label row of a dataset (its items are being removed: an import that did not finish).</summary>
    public static Task<int> DeleteAll(SemiCmrDb db, int datasetId, CancellationToken cancellationToken) =>
        db.ItemLabels.Where(l => l.DatasetId == datasetId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>The labels (class indices, ascending) of some rows of a dataset, such as a page or a search's hits; rows without labels are absent.</summary>
    public static async Task<Dictionary<int, List<int>>> OfRows(SemiCmrDb db, int datasetId, IReadOnlyCollection<int> rows, CancellationToken cancellationToken)
    {
        var byRow = new Dictionary<int, List<int>>();
        if (rows.Count == 0) return byRow;
        var list = rows.ToList();
        var labels = await db.ItemLabels.AsNoTracking().Where(l => l.DatasetId == datasetId && list.Contains(l.Row))
            .Select(l => new { l.Row, l.ClassIndex }).ToListAsync(cancellationToken);
        foreach (var label in labels.OrderBy(l => l.ClassIndex))
        {
            if (!byRow.TryGetValue(label.Row, out var classes)) byRow[label.Row] = classes = [];
            classes.Add(label.ClassIndex);
        }
        return byRow;
    }

    /// <summary>
    /// Every item's labels, indexed by row (class indices, ascending; empty for an unlabeled item), streamed in one pass
    /// over the dataset's label rows. Items with the same single label share one array (a million single-label items
    /// hold ten arrays, not a million): callers only read them.
    /// </summary>
    public static async Task<int[][]> ByRow(SemiCmrDb db, int datasetId, int itemCount, CancellationToken cancellationToken)
    {
        var byRow = new int[itemCount][];
        var single = new Dictionary<int, int[]>();
        // Class first, the key's order: no sort, and each row's classes arrive ascending.
        var pairs = db.ItemLabels.AsNoTracking().Where(l => l.DatasetId == datasetId).OrderBy(l => l.ClassIndex).Select(l => new { l.Row, l.ClassIndex });
        await foreach (var pair in pairs.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (byRow[pair.Row] is { } before) byRow[pair.Row] = [.. before, pair.ClassIndex];
            else if (single.TryGetValue(pair.ClassIndex, out var shared)) byRow[pair.Row] = shared;
            else byRow[pair.Row] = single[pair.ClassIndex] = [pair.ClassIndex];
        }
        for (int row = 0; row < itemCount; row++) byRow[row] ??= [];
        return byRow;
    }
}
