using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Data;

/// <summary>
/// Removes at start-up what a crash (kill -9, power loss) leaves under the data folder: uploaded zips, half-written
/// folders (.importing, .source, .saving), folders a delete had moved aside (.deleting), and dataset or run
/// folders whose row does not exist. Nothing else there is touched. Runs before any worker starts.
/// With a shared data folder (PostgreSQL: other instances and workers are busy in it while this one starts) only what
/// has not been written to for <see cref="SharedQuietTime"/> is a leftover; the rest may be another process's work.
/// </summary>
public static partial class LeftoverFiles
{
    public static readonly TimeSpan SharedQuietTime = TimeSpan.FromDays(1);

    public static async Task Remove(SemiCmrDb db, AppPaths paths, bool shared, ILogger logger, CancellationToken cancellationToken)
    {
        var quietSince = shared ? DateTime.UtcNow - SharedQuietTime : DateTime.MaxValue;
        if (Directory.Exists(paths.Uploads))
            foreach (var upload in Directory.EnumerateFileSystemEntries(paths.Uploads).Where(path => IsQuiet(path, quietSince)))
                Delete(upload, "an upload interrupted by a restart", logger);

        var datasets = (await db.Datasets.Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet();
        var runs = (await db.Runs.Select(r => r.Id).ToListAsync(cancellationToken)).ToHashSet();
        RemoveIn(Path.GetDirectoryName(paths.Dataset(0))!, datasets, "dataset", quietSince, logger);
        RemoveIn(Path.GetDirectoryName(paths.Run(0))!, runs, "run", quietSince, logger);
    }

    private static bool IsQuiet(string path, DateTime quietSince) =>
        quietSince == DateTime.MaxValue || Directory.GetLastWriteTimeUtc(path) < quietSince;

    private static void RemoveIn(string parent, HashSet<int> ids, string kind, DateTime quietSince, ILogger logger)
    {
        if (!Directory.Exists(parent)) return;
        foreach (var folder in Directory.EnumerateDirectories(parent).Where(path => IsQuiet(path, quietSince)))
        {
            var match = OwnFolder().Match(Path.GetFileName(folder));
            if (!match.Success) continue; // not ours: leave it alone
            string suffix = match.Groups["suffix"].Value;
            int id = int.Parse(match.Groups["id"].Value, CultureInfo.InvariantCulture);
            if (suffix.Length == 0 && ids.Contains(id)) continue;
            Delete(folder, suffix.Length > 0 ? $"a {suffix} folder of {kind} {id} left by a crash" : $"{kind} {id} has no row", logger);
        }
    }

    private static void Delete(string path, string why, ILogger logger)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
            logger.LogInformation("Removed leftover {Path}: {Why}", path, why);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not remove leftover {Path} ({Why}); it is retried at the next start", path, why);
        }
    }

    [GeneratedRegex(@"^(?<id>[0-9]{1,9})(?<suffix>\.(importing|source|saving|deleting))?$")]
    private static partial Regex OwnFolder();
}
