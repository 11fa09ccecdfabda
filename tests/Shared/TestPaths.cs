namespace SemiCmr.Tests;

/// <summary>Locates the repository root and makes temporary folders.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>A fresh empty temporary folder, deleted by the caller (or left in /tmp on failure for inspection).</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "semicmr-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepoRoot()
    {
        var baked = typeof(TestPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (baked is not null && File.Exists(Path.Combine(baked, "SemiCmr.Web.sln"))) return Path.TrimEndingDirectorySeparator(Path.GetFullPath(baked));
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SemiCmr.Web.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("SemiCmr.Web.sln not found above " + AppContext.BaseDirectory);
    }
}
