using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Budgets;

/// <summary>One item with the labels the database holds for it (class indices, ascending; empty when unlabeled).</summary>
public sealed record LabeledItem(int Row, string ExternalId, Split Split, IReadOnlyList<int> Labels);

/// <summary>
/// The Items and ItemLabels tables are the one source of an item's labels (items.csv only seeds them at import). These
/// helpers give the Ml code a FeatureDataset whose items and labels are the database's, so budget candidates and
/// training see the same labeled items as every list and count.
/// </summary>
public static class DatabaseLabels
{
    /// <summary>A dataset's items in row order with their labels: what the Ml code needs (no text, no image path).</summary>
    public static async Task<IReadOnlyList<LabeledItem>> ItemsByRow(Data.SemiCmrDb db, int datasetId, CancellationToken cancellationToken = default)
    {
        var items = await db.Items.AsNoTracking().Where(i => i.DatasetId == datasetId).OrderBy(i => i.Row)
            .Select(i => new { i.Row, i.ExternalId, i.Split, i.HasLabels }).ToListAsync(cancellationToken);
        var labels = await ItemLabelStore.ByRow(db, datasetId, items.Count == 0 ? 0 : items[^1].Row + 1, cancellationToken);
        var result = new LabeledItem[items.Count];
        for (int k = 0; k < items.Count; k++)
        {
            var item = items[k];
            int[] own = labels[item.Row];
            CheckAgree(datasetId, item.Row, item.HasLabels, own);
            result[k] = new LabeledItem(item.Row, item.ExternalId, item.Split, own);
        }
        return result;
    }

    /// <summary>
    /// A dataset's items as budgets and their previews need them: split and labels in row order, no ids, texts or
    /// features (<see cref="ItemLabelStore.ByRow"/>'s shared label arrays). The items are streamed, not listed first: at a
    /// million items this holds about 70 MB, and a load leaves little garbage behind (budgets keep it in the cache).
    /// </summary>
    public static async Task<FeatureDataset> ForBudgets(Data.SemiCmrDb db, int datasetId, IReadOnlyList<string> classes, CancellationToken cancellationToken = default)
    {
        var dataset = db.Items.AsNoTracking().Where(i => i.DatasetId == datasetId);
        int rows = (await dataset.MaxAsync(i => (int?)i.Row, cancellationToken) ?? -1) + 1;
        var labels = await ItemLabelStore.ByRow(db, datasetId, rows, cancellationToken);
        var items = new List<DatasetItem>(rows);
        var flags = dataset.OrderBy(i => i.Row).Select(i => new { i.Row, i.Split, i.HasLabels });
        await foreach (var item in flags.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            CheckAgree(datasetId, item.Row, item.HasLabels, labels[item.Row]);
            items.Add(new DatasetItem("", item.Split, labels[item.Row]));
        }
        var empty = new FeatureMatrix([], items.Count, 0);
        return new FeatureDataset(items, classes, empty, empty);
    }

    /// <summary>The dataset a run trains on: the items of <paramref name="itemsByRow"/> with the feature files of <paramref name="folder"/>.</summary>
    public static FeatureDataset WithFeatures(string folder, IReadOnlyList<LabeledItem> itemsByRow, IReadOnlyList<string> classes) =>
        new(Items(itemsByRow), classes,
            Npy.Read(Path.Combine(folder, FeatureDatasetReader.ImageFeaturesFile)),
            Npy.Read(Path.Combine(folder, FeatureDatasetReader.TextFeaturesFile)));

    // Written together by ItemLabelStore: a disagreement is a bug to surface, not a state to train on.
    private static void CheckAgree(int datasetId, int row, bool hasLabels, int[] labels)
    {
        if (hasLabels != labels.Length > 0)
            throw new InvalidOperationException($"Item {row} of dataset {datasetId} is marked {(hasLabels ? "labeled" : "unlabeled")} but has {labels.Length} label rows.");
    }

    private static DatasetItem[] Items(IReadOnlyList<LabeledItem> itemsByRow) =>
        [.. itemsByRow.Select(i => new DatasetItem(i.ExternalId, i.Split, i.Labels))];
}
