using Microsoft.Extensions.Options;
using SemiCmr.Ml.Import;

namespace SemiCmr.Web.Hosting;

/// <summary>Absolute locations of everything under the data folder; the one place paths are built.</summary>
public sealed class AppPaths(IOptions<DataOptions> data, IOptions<ImportOptions> import, IHostEnvironment environment)
{
    public string DataDirectory { get; } = Path.GetFullPath(data.Value.Directory, environment.ContentRootPath);

    public string Database => Path.Combine(DataDirectory, "semicmr.db");

    public string Uploads => Path.Combine(DataDirectory, "uploads");

    /// <summary>ASP.NET Core Data Protection's key ring (Auth/SharedKeys), shared by every instance using this data folder.</summary>
    public string DataProtectionKeys => Path.Combine(DataDirectory, "keys");

    public string Dataset(int id) => Path.Combine(DataDirectory, "datasets", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string Run(int id) => Path.Combine(DataDirectory, "runs", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public IReadOnlyList<string> AllowedRoots { get; } =
        import.Value.AllowedRoots.Select(root => Path.TrimEndingDirectorySeparator(Path.GetFullPath(root, environment.ContentRootPath))).ToList();

    /// <summary>
    /// True when <paramref name="path"/> (already full) is one of the allowed roots or below one, compared
    /// after resolving symbolic links, so that a link inside a root cannot lead outside it.
    /// </summary>
    public bool IsAllowedImportPath(string path) => AllowedRoots.Any(root => RealPaths.IsInside(root, path));
}
