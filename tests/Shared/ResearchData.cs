namespace SemiCmr.Tests;

/// <summary>
/// The public research datasets (Wikipedia features, Flickr8k photos), which may never be copied into the
/// repository. Their folder comes from SEMICMR_DATA (default ../shared/data beside the repository). Tests on
/// them are skipped with the reason when the folder is absent, except under CI=true, where they fail: CI has
/// the data, so a missing folder there is a broken set-up, not a reason to test less.
/// </summary>
public static class ResearchData
{
    public const string Setting = "SEMICMR_DATA";

    public static string Root { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable(Setting) is { Length: > 0 } configured ? configured : Path.Combine(TestPaths.RepoRoot, "..", "shared", "data"),
        TestPaths.RepoRoot);

    public static bool IsPresent(string name) => Directory.Exists(Path.Combine(Root, name));

    /// <summary>The dataset's folder; skips the calling test (fails under CI=true) when it is absent.</summary>
    public static string Require(string name)
    {
        string path = Path.Combine(Root, name);
        if (Directory.Exists(path)) return path;
        string reason = $"Research dataset '{name}' is not present at {path} (set {Setting} to the folder that holds it).";
        if (IsCi) throw new DirectoryNotFoundException(reason + " CI=true: the research data must be there.");
        Assert.Skip(reason);
        return path;
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
