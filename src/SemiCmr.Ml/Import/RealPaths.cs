namespace SemiCmr.Ml.Import;

/// <summary>
/// Canonical paths with every symbolic link along them resolved (like realpath(3)), so that a link inside
/// a trusted folder cannot lead a reader outside it.
/// </summary>
public static class RealPaths
{
    public static string Resolve(string fullPath)
    {
        string root = Path.GetPathRoot(fullPath) ?? "/";
        string current = root;
        foreach (string part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                current = Resolve(Path.GetFullPath(target.FullName));
        }
        return Path.TrimEndingDirectorySeparator(current);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it once both are resolved.</summary>
    public static bool IsInside(string root, string path)
    {
        string realRoot = Resolve(Path.GetFullPath(root));
        string real = Resolve(Path.GetFullPath(path));
        string prefix = Path.EndsInDirectorySeparator(realRoot) ? realRoot : realRoot + Path.DirectorySeparatorChar; // "/" stays "/"
        return real == realRoot || real.StartsWith(prefix, StringComparison.Ordinal);
    }
}
