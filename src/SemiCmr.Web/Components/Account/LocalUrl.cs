namespace SemiCmr.Web.Components.Account;

/// <summary>Where to go after signing in: only a path on this site, never another host (an open redirect).</summary>
public static class LocalUrl
{
    public static string Or(string? returnUrl, string fallback = "/") =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : fallback;
}
