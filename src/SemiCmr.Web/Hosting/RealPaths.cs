namespace SemiCmr.Web.Hosting;

/// <summary>The canonical form of a full path: every symbolic link along it resolved (like realpath(3)).</summary>
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
}
