using System.ComponentModel.DataAnnotations;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// Caps on what an uploaded zip may expand to (size, entries, compression ratio) ("Import" section, next to MaxUploadBytes): a small zip can
/// declare, or really hold, gigabytes of zeros. Checked from the central directory at upload and again while extracting.
/// </summary>
public sealed class ZipLimitsOptions
{
    public const string Section = "Import";

    [Range(1, long.MaxValue)] public long MaxUncompressedBytes { get; set; } = 8L << 30;

    [Range(1, int.MaxValue)] public int MaxZipEntries { get; set; } = 200_000;

    /// <summary>
    /// Largest expanded/compressed size ratio of an entry (over 1 MB expanded) or of the whole zip. Photos and
    /// feature files barely compress (about 1:1, text 1:5); gigabytes of zeros compress 1:1000.
    /// </summary>
    [Range(1, double.MaxValue)] public double MaxCompressionRatio { get; set; } = 100;
}
