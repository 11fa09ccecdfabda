using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Import;

/// <summary>Resolves user-written relative paths inside the source folder and refuses any that would leave it.</summary>
internal static class SourcePaths
{
    /// <summary>The absolute path, or null after adding a problem when the path is absolute or climbs out with "..".</summary>
    public static string? Resolve(string root, string relative, string file, int? row, string column, List<DatasetProblem> problems)
    {
        string? why = WhyUnsafe(relative);
        if (why is null)
        {
            var full = Path.GetFullPath(Path.Combine(root, relative.Replace('\\', '/')));
            if (IsInside(root, full)) return full;
            why = "it points outside the dataset folder";
        }
        problems.Add(new DatasetProblem(file, row, column, $"the path '{relative}' is refused: {why}; use a path relative to the dataset folder"));
        return null;
    }

    /// <summary>True when <paramref name="name"/> can be used as one file name (ids that become paths in list formats).</summary>
    public static bool IsPlainName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(['/', '\\', '\0']) < 0;

    private static string? WhyUnsafe(string relative)
    {
        if (relative.Contains('\0')) return "it contains a NUL character";
        if (Path.IsPathRooted(relative) || relative.StartsWith('\\') || (relative.Length > 1 && relative[1] == ':'))
            return "it is an absolute path";
        if (relative.Split('/', '\\').Any(segment => segment == ".."))
            return "it contains '..'";
        return null;
    }

    private static bool IsInside(string root, string full)
    {
        var rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return full.StartsWith(rootFull, StringComparison.Ordinal);
    }
}
