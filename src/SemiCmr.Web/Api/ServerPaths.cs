using System.Text.RegularExpressions;

namespace SemiCmr.Web.Api;

/// <summary>
/// Messages of unexpected exceptions (file system, zip, native libraries) name absolute server paths; what a user
/// sees keeps only the last part of each path, which is what they can act on.
/// </summary>
public static partial class ServerPaths
{
    public static string Hide(string message) => AbsolutePath().Replace(message, match => match.Groups["name"].Value);

    [GeneratedRegex(@"(?<![\w.~])/(?:[^\s'""/:,;()]+/)+(?<name>[^\s'""/:,;()]*)")]
    private static partial Regex AbsolutePath();
}
