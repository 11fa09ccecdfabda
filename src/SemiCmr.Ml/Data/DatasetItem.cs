namespace SemiCmr.Ml.Data;

public enum Split { Train, Val, Test }

/// <summary>
/// One image-text pair as listed in items.csv. <see cref="Labels"/> are indices into the dataset's
/// class names; an empty list means the item is unlabeled. Image and text columns are kept for the
/// raw-data importer and the UI.
/// </summary>
public sealed record DatasetItem(
    string Id,
    Split Split,
    IReadOnlyList<int> Labels,
    string? Image = null,
    string? Text = null,
    string? TextFile = null)
{
    public bool HasLabels => Labels.Count > 0;
}
