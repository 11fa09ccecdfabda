using System.IO.Compression;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;
using SemiCmr.Web.Api;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// Request-time checks of an import source (a folder or a zip): a known layout is there and any .npy headers are
/// usable. The full read (images, texts, rows) happens in the import job.
/// </summary>
public static class SourceFiles
{
    public const string ImageFeatures = FeatureDatasetReader.ImageFeaturesFile;

    /// <summary>Below this expanded size a high compression ratio is harmless (small csv or text files).</summary>
    private const long RatioFloor = 1 << 20;
    public const string TextFeatures = FeatureDatasetReader.TextFeaturesFile;

    /// <summary>Files that mark a dataset's root folder, in order of precedence (items.csv wins).</summary>
    private static readonly string[] Markers = [FeatureDatasetReader.ItemsFile, "captions.csv", "trainset_txt_img_cat.list", "categories.list"];

    public const string Layouts =
        "expected items.csv (a manifest or a feature dataset), captions.csv with an images/ folder, " +
        "or the Wikipedia lists (categories.list, trainset_txt_img_cat.list, testset_txt_img_cat.list)";

    /// <summary>What is wrong with a dataset folder; empty when it can be queued.</summary>
    public static List<string> CheckFolder(string folder)
    {
        if (RawDatasetImporter.DetectFormat(folder) is null) return [$"no dataset was found in {folder}: {Layouts}"];
        var problems = new List<string>();
        foreach (var file in new[] { ImageFeatures, TextFeatures })
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path)) continue;
            using var stream = File.OpenRead(path);
            if (NpyHeaderCheck.Problem(stream) is { } problem) problems.Add($"{file} {problem}");
        }
        return problems;
    }

    /// <summary>
    /// Checks an uploaded zip and finds the folder inside it that holds the dataset (the shallowest one with a
    /// marker file, as when a folder is zipped). Entries that would land outside the extraction folder, too many
    /// entries or a declared expanded size over the limit refuse the whole zip.
    /// </summary>
    public static (string Prefix, List<string> Problems) CheckZip(string zipPath, ImportOptions limits)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            return ("", [$"the file is not a valid zip archive ({UserMessages.Clean(e.Message)})"]);
        }
        using (archive)
        {
            var problems = new List<string>();
            foreach (var entry in archive.Entries.Where(e => !IsSafe(e.FullName)).Take(10))
                problems.Add($"entry '{entry.FullName}' has an absolute path or '..': refused");
            if (archive.Entries.Count > limits.MaxZipEntries)
                problems.Add($"the zip has {archive.Entries.Count} entries, more than the {limits.MaxZipEntries} allowed (Import:MaxZipEntries)");
            long declared = archive.Entries.Sum(e => e.Length);
            if (declared > limits.MaxUncompressedBytes)
                problems.Add($"the zip expands to {declared} bytes, more than the {limits.MaxUncompressedBytes} allowed (Import:MaxUncompressedBytes)");
            long zipBytes = new FileInfo(zipPath).Length;
            var packed = archive.Entries.Where(e => e.Length > RatioFloor && e.Length > limits.MaxCompressionRatio * Math.Max(1, e.CompressedLength)).Take(5).ToList();
            foreach (var entry in packed)
                problems.Add($"entry '{entry.FullName}' expands {entry.Length / Math.Max(1, entry.CompressedLength)} times ({entry.CompressedLength} to {entry.Length} bytes), more than Import:MaxCompressionRatio ({limits.MaxCompressionRatio}): refused as a possible zip bomb");
            if (packed.Count == 0 && declared > RatioFloor && declared > limits.MaxCompressionRatio * Math.Max(1, zipBytes))
                problems.Add($"the zip expands {declared / Math.Max(1, zipBytes)} times ({zipBytes} to {declared} bytes), more than Import:MaxCompressionRatio ({limits.MaxCompressionRatio}): refused as a possible zip bomb");
            if (problems.Count > 0) return ("", problems);

            var root = archive.Entries
                .Select(e => (Entry: e, Rank: Array.IndexOf(Markers, Path.GetFileName(e.FullName))))
                .Where(e => e.Rank >= 0)
                .OrderBy(e => e.Entry.FullName.Count(c => c == '/')).ThenBy(e => e.Rank)
                .FirstOrDefault();
            if (root.Entry is null) return ("", [$"the zip holds no dataset: {Layouts}"]);

            string prefix = root.Entry.FullName[..^Path.GetFileName(root.Entry.FullName).Length];
            foreach (var file in new[] { ImageFeatures, TextFeatures })
            {
                if (archive.GetEntry(prefix + file) is not { } entry) continue;
                try
                {
                    using var stream = entry.Open();
                    if (NpyHeaderCheck.Problem(stream) is { } problem) problems.Add($"{prefix}{file} {problem}");
                }
                catch (InvalidDataException e)
                {
                    problems.Add($"{prefix}{file} cannot be read from the zip ({UserMessages.Clean(e.Message)})");
                }
            }
            return (prefix, problems);
        }
    }

    /// <summary>
    /// Extracts the entries below <paramref name="prefix"/> into <paramref name="target"/>, flattening the prefix away.
    /// Counts the bytes really written (a zip can lie about sizes) and stops at the limits.
    /// </summary>
    public static void ExtractZip(string zipPath, string prefix, string target, ImportOptions limits, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        string root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        using var archive = ZipFile.OpenRead(zipPath);
        if (archive.Entries.Count > limits.MaxZipEntries)
            throw new InvalidDataException($"the zip has more than {limits.MaxZipEntries} entries (Import:MaxZipEntries)");
        long budget = limits.MaxUncompressedBytes;
        var buffer = new byte[81920];
        foreach (var entry in archive.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!entry.FullName.StartsWith(prefix, StringComparison.Ordinal) || entry.FullName.EndsWith('/')) continue;
            string destination = Path.GetFullPath(Path.Combine(target, entry.FullName[prefix.Length..]));
            // Checked again here: extraction must never write outside the dataset folder, whatever passed before.
            if (!destination.StartsWith(root, StringComparison.Ordinal) || !IsSafe(entry.FullName))
                throw new InvalidDataException($"zip entry '{entry.FullName}' would be written outside the dataset folder");
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using var input = entry.Open();
            using var output = File.Create(destination);
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                budget -= read;
                if (budget < 0)
                    throw new InvalidDataException($"the zip expands to more than {limits.MaxUncompressedBytes} bytes (Import:MaxUncompressedBytes): refused as a possible zip bomb");
                output.Write(buffer, 0, read);
            }
        }
    }

    private static bool IsSafe(string name) =>
        !name.StartsWith('/') && !name.StartsWith('\\') && !(name.Length > 1 && name[1] == ':')
        && !name.Split('/', '\\').Any(part => part == "..");
}
