using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

public sealed record FolderImportRequest(string? Name, string? Path, string? TextEncoder);

public sealed record CreatedResponse(int Id);

public sealed record SkippedItem(string Item, string Reason);

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
    DateTime CreatedAt)
{
    public static DatasetResponse From(Dataset d, SplitCounts? splits = null) => new(
        d.Id, d.Name, d.Status, d.Source, d.TextEncoder, d.ItemCount, splits, d.Classes, d.IsMultiLabel,
        d.ImageDim, d.TextDim, [], d.Problems, d.Error, DateTime.SpecifyKind(d.CreatedAt, DateTimeKind.Utc));
}
