using SemiCmr.Ml.Data;

namespace SemiCmr.Web.Budgets;

/// <summary>
/// After annotation the Items table, not items.csv, holds an item's labels. These helpers give the Ml code a
/// FeatureDataset with the database's labels.
/// </summary>
public static class DatabaseLabels
{
    /// <summary>The dataset with each item's labels replaced by the database's (rows missing from <paramref name="labelsByRow"/> keep theirs).</summary>
    public static FeatureDataset Apply(FeatureDataset dataset, IReadOnlyDictionary<int, List<int>> labelsByRow)
    {
        var items = dataset.Items
            .Select((item, row) => labelsByRow.TryGetValue(row, out var labels) ? item with { Labels = labels.ToArray() } : item)
            .ToArray();
        return new FeatureDataset(items, dataset.ClassNames, dataset.ImageFeatures, dataset.TextFeatures);
    }

    /// <summary>Items and classes without features (0 columns): enough for budgets and previews, nothing read from disk.</summary>
    public static FeatureDataset WithoutFeatures(IReadOnlyList<Data.Item> itemsByRow, IReadOnlyList<string> classes)
    {
        var items = itemsByRow.Select(i => new DatasetItem(i.ExternalId, i.Split, i.Labels.ToArray())).ToArray();
        var empty = new FeatureMatrix([], items.Length, 0);
        return new FeatureDataset(items, classes, empty, empty);
    }
}
