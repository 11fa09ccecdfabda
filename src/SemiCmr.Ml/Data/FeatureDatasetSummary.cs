namespace SemiCmr.Ml.Data;

/// <summary>What the app stores of a dataset in its database: the items, class names and feature widths, without the features.</summary>
public sealed record FeatureDatasetSummary(IReadOnlyList<DatasetItem> Items, IReadOnlyList<string> ClassNames, int ImageDim, int TextDim)
{
    public bool IsMultiLabel { get; } = Items.Any(item => item.Labels.Count > 1);
}
