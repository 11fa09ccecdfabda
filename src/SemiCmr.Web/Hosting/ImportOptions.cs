using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SemiCmr.Web.Hosting;

/// <summary>
/// Limits on what users may import ("Import" section): where server folders may be read from, upload and text sizes,
/// and caps on what an uploaded zip may expand to (a small zip can declare, or really hold, gigabytes of zeros;
/// checked from the central directory at upload and again while extracting).
/// </summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>Server folders that POST /api/datasets/from-folder may read from; empty allows none.</summary>
    public List<string> AllowedRoots { get; set; } = [];

    [Range(1, long.MaxValue, ErrorMessage = "Import:MaxUploadBytes must be at least {1}.")]
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>The most characters of text stored per item; longer texts are cut and listed in the import report.</summary>
    [Range(100, 100_000_000, ErrorMessage = "Import:MaxTextChars must be between {1} and {2}.")]
    public int MaxTextChars { get; set; } = Ml.Import.RawImportSettings.DefaultMaxTextChars;

    /// <summary>Threads an import decodes and encodes on (at low priority); 0 leaves one core for requests (max(1, cores - 1)).</summary>
    [Range(0, 1024, ErrorMessage = "Import:Threads must be between {1} and {2} (0: all cores but one).")]
    public int Threads { get; set; }

    public int EffectiveThreads => ThreadSetting.Effective(Threads);

    [Range(1, long.MaxValue, ErrorMessage = "Import:MaxUncompressedBytes must be at least {1}.")]
    public long MaxUncompressedBytes { get; set; } = 8L << 30;

    [Range(1, int.MaxValue, ErrorMessage = "Import:MaxZipEntries must be at least {1}.")]
    public int MaxZipEntries { get; set; } = 200_000;

    /// <summary>
    /// Largest expanded/compressed size ratio of an entry (over 1 MB expanded) or of the whole zip. Photos and
    /// feature files barely compress (about 1:1, text 1:5); gigabytes of zeros compress 1:1000.
    /// </summary>
    [Range(1, double.MaxValue, ErrorMessage = "Import:MaxCompressionRatio must be at least {1}.")]
    public double MaxCompressionRatio { get; set; } = 100;
}

/// <summary>The Import rules one attribute cannot state.</summary>
public sealed class ImportOptionsRules : IValidateOptions<ImportOptions>
{
    public ValidateOptionsResult Validate(string? name, ImportOptions options)
    {
        var failures = new List<string>();
        // A zip expands to about its own size at least, so uploads between the two limits could never be imported,
        // while the upload panel promises MaxUploadBytes.
        if (options.MaxUncompressedBytes < options.MaxUploadBytes)
            failures.Add($"Import:MaxUncompressedBytes ({options.MaxUncompressedBytes}) must be at least Import:MaxUploadBytes "
                + $"({options.MaxUploadBytes}): a zip expands to about its own size at least.");
        // An empty entry would resolve to the content root itself (an environment variable set to nothing is enough),
        // silently opening the app's own folder to folder imports.
        for (int i = 0; i < options.AllowedRoots.Count; i++)
        {
            string? root = options.AllowedRoots[i];
            if (string.IsNullOrWhiteSpace(root))
                failures.Add($"Import:AllowedRoots:{i} must be a folder path; it is empty.");
            else if (root.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
                failures.Add($"Import:AllowedRoots:{i} must be a folder path; it contains a character no path may hold.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
