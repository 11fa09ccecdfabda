using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

public sealed record FolderImportRequest(string? Name, string? Path, string? TextEncoder);

public sealed record CreatedResponse(int Id);

/// <summary>An item the import left out: its id (or file), the file that was wrong and why.</summary>
public sealed record SkippedItem(string Item, string Reason, string? File = null);

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
    string? Format = null)
{
    public static DatasetResponse From(Dataset d, SplitCounts? splits = null) => new(
        d.Id, d.Name, d.Status, d.Source, d.TextEncoder, d.ItemCount, splits, d.Classes, d.IsMultiLabel,
        d.ImageDim, d.TextDim, (d.Skipped ?? []).Select(s => new SkippedItem(s.Item, s.Reason, s.File)).ToList(), d.Problems, d.Error,
        DateTime.SpecifyKind(d.CreatedAt, DateTimeKind.Utc), d.ImageEncoder, d.Format);
}

/// <summary>One row of GET /api/datasets/{id}/items: enough for a gallery (the full text is in search hits).</summary>
public sealed record ItemSummary(int Row, string ExternalId, Ml.Data.Split Split, IReadOnlyList<string> Labels, string? Text, string? ThumbnailUrl, string? ImageUrl);

public sealed record ItemPage(IReadOnlyList<ItemSummary> Items, int Total, int Offset, int Limit);
