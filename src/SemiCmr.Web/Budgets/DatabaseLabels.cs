using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Data;

namespace SemiCmr.Web.Budgets;

/// <summary>
/// The Items table is the one source of an item's labels (items.csv only seeds them at import). These helpers give
/// the Ml code a FeatureDataset whose items and labels are the database's.
/// </summary>
public static class DatabaseLabels
{
    /// <summary>A dataset's items in row order, with what the Ml code needs (no text, no image path).</summary>
    public static IQueryable<Data.Item> ItemsByRow(Data.SemiCmrDb db, int datasetId) =>
        db.Items.AsNoTracking().Where(i => i.DatasetId == datasetId).OrderBy(i => i.Row)
            .Select(i => new Data.Item { Row = i.Row, ExternalId = i.ExternalId, Split = i.Split, Labels = i.Labels });

    /// <summary>The dataset a run trains on: the items of <paramref name="itemsByRow"/> with the feature files of <paramref name="folder"/>.</summary>
    public static FeatureDataset WithFeatures(string folder, IReadOnlyList<Data.Item> itemsByRow, IReadOnlyList<string> classes) =>
        new(Items(itemsByRow), classes,
            Npy.Read(Path.Combine(folder, FeatureDatasetReader.ImageFeaturesFile)),
            Npy.Read(Path.Combine(folder, FeatureDatasetReader.TextFeaturesFile)));

    /// <summary>Items and classes without features (0 columns): enough for budgets and previews, nothing read from disk.</summary>
    public static FeatureDataset WithoutFeatures(IReadOnlyList<Data.Item> itemsByRow, IReadOnlyList<string> classes)
    {
        var empty = new FeatureMatrix([], itemsByRow.Count, 0);
        return new FeatureDataset(Items(itemsByRow), classes, empty, empty);
    }

    private static DatasetItem[] Items(IReadOnlyList<Data.Item> itemsByRow) =>
        [.. itemsByRow.Select(i => new DatasetItem(i.ExternalId, i.Split, i.Labels.ToArray()))];
}
