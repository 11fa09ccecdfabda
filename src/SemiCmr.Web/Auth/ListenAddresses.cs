using System.Net;
using Microsoft.AspNetCore.Http;

namespace SemiCmr.Web.Auth;

/// <summary>
/// Whether the addresses a server listens on can be reached only from this machine: the rule that lets
/// <c>Auth:Mode=None</c> run. An in-memory server (WebApplicationFactory's TestServer) has no address at all; nothing
/// outside the process can reach it, so it counts as local.
/// </summary>
public static class ListenAddresses
{
    /// <summary>Null when single-user mode may run on these addresses, else why not (the start-up error).</summary>
    public static string? WhyNotLocal(IReadOnlyCollection<string> addresses)
    {
        var open = addresses.Where(a => !IsLoopback(a)).ToList();
        if (open.Count == 0) return null;
        return $"Auth:Mode is None (no sign-in, every visitor acts as the admin), which is allowed only when the app listens on "
            + $"loopback addresses (localhost, 127.0.0.1, [::1]); it listens on {string.Join(", ", open)}. "
            + "Set Auth:Mode to Accounts (the default) to share the server, or listen on http://localhost only.";
    }

    /// <summary>localhost, 127.0.0.0/8 or ::1; a wildcard (*, +, 0.0.0.0, [::]) or any other host is not.</summary>
    public static bool IsLoopback(string address)
    {
        string host;
        try { host = BindingAddress.Parse(address).Host; }
        catch (FormatException) { return false; }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
