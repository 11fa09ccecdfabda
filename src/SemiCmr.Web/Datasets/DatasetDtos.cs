using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

public sealed record FolderImportRequest(string? Name, string? Path, string? TextEncoder);

public sealed record CreatedResponse(int Id);

/// <summary>An item the import left out: its id (or file), the file that was wrong and why.</summary>
public sealed record SkippedItem(string Item, string Reason, string? File = null);

/// <summary>An item kept with its text cut to Import:MaxTextChars: <see cref="Chars"/> characters were kept.</summary>
public sealed record TruncatedItem(string Item, string File, int Chars);

public sealed record SplitCounts(int Train, int Val, int Test);

public sealed record DatasetResponse(
    int Id,
    string Name,
    DatasetStatus Status,
    string Source,
    string? TextEncoder,
    int ItemCount,
    SplitCounts? Splits,
    IReadOnlyList<string> Classes,
    bool IsMultiLabel,
    int ImageDim,
    int TextDim,
    IReadOnlyList<SkippedItem> Skipped,
    IReadOnlyList<ImportProblem> Problems,
    string? Error,
    DateTime CreatedAt,
    string? ImageEncoder = null,
    string? Format = null,
    IReadOnlyList<TruncatedItem>? Truncated = null)
{
    public static DatasetResponse From(Dataset d, SplitCounts? splits = null) => new(
        d.Id, d.Name, d.Status, d.Source, d.TextEncoder, d.ItemCount, splits, d.Classes, d.IsMultiLabel,
        d.ImageDim, d.TextDim, (d.Skipped ?? []).Select(s => new SkippedItem(s.Item, s.Reason, s.File)).ToList(), d.Problems, d.Error,
        d.CreatedAt, d.ImageEncoder, d.Format,
        (d.Truncated ?? []).Select(t => new TruncatedItem(t.Item, t.File, t.Chars)).ToList());
}

/// <summary>One row of GET /api/datasets/{id}/items: enough for a gallery; <see cref="Text"/> is an excerpt (the full text is at the item's own URL).</summary>
public sealed record ItemSummary(int Row, string ExternalId, Ml.Data.Split Split, IReadOnlyList<string> Labels, string? Text, string? ThumbnailUrl, string? ImageUrl);

/// <summary>GET /api/datasets/{id}/items/{row}: one item with its whole stored text (cut at import to Import:MaxTextChars).</summary>
public sealed record ItemDetails(int Row, string ExternalId, Ml.Data.Split Split, IReadOnlyList<string> Labels, string? Text, string? ThumbnailUrl, string? ImageUrl);

public sealed record ItemPage(IReadOnlyList<ItemSummary> Items, int Total, int Offset, int Limit);
