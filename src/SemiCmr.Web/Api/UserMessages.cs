using System.Text.RegularExpressions;

namespace SemiCmr.Web.Api;

/// <summary>
/// Messages of unexpected exceptions (file system, zip, native libraries, argument checks) name absolute server
/// paths and code parameters. What a user sees keeps only the last part of each path, which is what they can
/// act on, and drops the " (Parameter 'x')" that .NET appends for the programmer.
/// </summary>
public static partial class UserMessages
{
    public static string Clean(string message) =>
        ParameterSuffix().Replace(AbsolutePath().Replace(message, match => match.Groups["name"].Value), "");

    [GeneratedRegex(@"(?<![\w.~])/(?:[^\s'""/:,;()]+/)+(?<name>[^\s'""/:,;()]*)")]
    private static partial Regex AbsolutePath();

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();
}
