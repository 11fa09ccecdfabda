using System.ComponentModel.DataAnnotations;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// Caps on what an uploaded zip may expand to ("Import" section, next to MaxUploadBytes): a small zip can
/// declare, or really hold, gigabytes of zeros. Checked from the central directory at upload and again while extracting.
/// </summary>
public sealed class ZipLimitsOptions
{
    public const string Section = "Import";

    [Range(1, long.MaxValue)] public long MaxUncompressedBytes { get; set; } = 8L << 30;

    [Range(1, int.MaxValue)] public int MaxZipEntries { get; set; } = 200_000;
}
