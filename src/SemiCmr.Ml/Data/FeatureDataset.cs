namespace SemiCmr.Ml.Data;

/// <summary>Items with their class names and one feature matrix per modality, row-aligned with the items.</summary>
public sealed class FeatureDataset
{
    public FeatureDataset(IReadOnlyList<DatasetItem> items, IReadOnlyList<string> classNames, FeatureMatrix image, FeatureMatrix text)
    {
        if (image.Rows != items.Count || text.Rows != items.Count)
            throw new ArgumentException($"Feature rows (image {image.Rows}, text {text.Rows}) must match the {items.Count} items.");
        Items = items;
        ClassNames = classNames;
        ImageFeatures = image;
        TextFeatures = text;
        IsMultiLabel = items.Any(item => item.Labels.Count > 1);
    }

    public IReadOnlyList<DatasetItem> Items { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public FeatureMatrix ImageFeatures { get; }
    public FeatureMatrix TextFeatures { get; }

    /// <summary>True when any item carries more than one label (then losses and metrics are multi-label).</summary>
    public bool IsMultiLabel { get; }

    public int ClassCount => ClassNames.Count;

    /// <summary>Row indices of the items in a split, in dataset order.</summary>
    public int[] IndicesOf(Split split) =>
        Enumerable.Range(0, Items.Count).Where(i => Items[i].Split == split).ToArray();
}
