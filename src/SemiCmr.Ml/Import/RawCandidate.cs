using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Import;

/// <summary>
/// One item as a source format lists it, before its files are checked. Paths are already resolved inside
/// the source folder; <see cref="ImageFile"/> and <see cref="TextFile"/> are the relative names shown in
/// the report. <see cref="Split"/> is null when the format has no split (a seeded 80/20 split is drawn).
/// </summary>
internal sealed record RawCandidate(
    string Id,
    Split? Split,
    IReadOnlyList<string> Labels,
    string ImageFile,
    string ImagePath,
    string? Text,
    string? TextFile,
    string? TextPath);

/// <summary>What a source format yields: its candidates in order (feature rows given with the source follow this order).</summary>
internal sealed record RawSource(string Format, IReadOnlyList<RawCandidate> Candidates);
