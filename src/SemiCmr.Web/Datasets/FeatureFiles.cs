using System.IO.Compression;
using SemiCmr.Ml.Data;

namespace SemiCmr.Web.Datasets;

/// <summary>Request-time checks of a feature dataset (a folder or a zip): the files are there and the .npy headers are usable.</summary>
public static class FeatureFiles
{
    public static readonly string[] Required =
        [FeatureDatasetReader.ItemsFile, FeatureDatasetReader.ImageFeaturesFile, FeatureDatasetReader.TextFeaturesFile];

    /// <summary>What is wrong with a dataset folder; empty when it can be queued.</summary>
    public static List<string> CheckFolder(string folder)
    {
        var problems = new List<string>();
        foreach (var file in Required)
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                problems.Add($"{file} is missing in {folder}");
                continue;
            }
            if (file.EndsWith(".npy", StringComparison.Ordinal))
            {
                using var stream = File.OpenRead(path);
                if (NpyHeaderCheck.Problem(stream) is { } problem) problems.Add($"{file} {problem}");
            }
        }
        return problems;
    }

    /// <summary>
    /// Checks an uploaded zip and finds the folder inside it that holds items.csv (the root or one level down,
    /// as when a folder is zipped). Entries that would land outside the extraction folder refuse the whole zip.
    /// </summary>
    public static (string Prefix, List<string> Problems) CheckZip(string zipPath)
    {
        var problems = new List<string>();
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            return ("", [$"the file is not a valid zip archive ({e.Message})"]);
        }
        using (archive)
        {
            foreach (var entry in archive.Entries.Where(e => !IsSafe(e.FullName)))
                problems.Add($"entry '{entry.FullName}' has an absolute path or '..': refused");
            if (problems.Count > 0) return ("", problems);

            var items = archive.Entries
                .Where(e => Path.GetFileName(e.FullName) == FeatureDatasetReader.ItemsFile)
                .OrderBy(e => e.FullName.Count(c => c == '/'))
                .FirstOrDefault();
            if (items is null) return ("", [$"the zip holds no {FeatureDatasetReader.ItemsFile}"]);

            string prefix = items.FullName[..^FeatureDatasetReader.ItemsFile.Length];
            foreach (var file in Required.Skip(1))
            {
                var entry = archive.GetEntry(prefix + file);
                if (entry is null)
                {
                    problems.Add($"{prefix}{file} is missing in the zip");
                    continue;
                }
                try
                {
                    using var stream = entry.Open();
                    if (NpyHeaderCheck.Problem(stream) is { } problem) problems.Add($"{prefix}{file} {problem}");
                }
                catch (InvalidDataException e)
                {
                    problems.Add($"{prefix}{file} cannot be read from the zip ({e.Message})");
                }
            }
            return (prefix, problems);
        }
    }

    /// <summary>Extracts the entries below <paramref name="prefix"/> into <paramref name="target"/>, flattening the prefix away.</summary>
    public static void ExtractZip(string zipPath, string prefix, string target)
    {
        Directory.CreateDirectory(target);
        string root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        using var archive = ZipFile.OpenRead(zipPath);
        foreach (var entry in archive.Entries)
        {
            if (!entry.FullName.StartsWith(prefix, StringComparison.Ordinal) || entry.FullName.EndsWith('/')) continue;
            string destination = Path.GetFullPath(Path.Combine(target, entry.FullName[prefix.Length..]));
            // Checked again here: extraction must never write outside the dataset folder, whatever passed before.
            if (!destination.StartsWith(root, StringComparison.Ordinal) || !IsSafe(entry.FullName))
                throw new InvalidDataException($"zip entry '{entry.FullName}' would be written outside the dataset folder");
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            entry.ExtractToFile(destination, overwrite: true);
        }
    }

    private static bool IsSafe(string name) =>
        !name.StartsWith('/') && !name.StartsWith('\\') && !(name.Length > 1 && name[1] == ':')
        && !name.Split('/', '\\').Any(part => part == "..");
}
