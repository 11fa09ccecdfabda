using Microsoft.Extensions.Options;

namespace SemiCmr.Web.Hosting;

/// <summary>
/// How often one client may do what is costly or sensitive ("RateLimits" section; enforced by
/// <see cref="Protection.RateLimits"/>). The defaults are far above what a person does, so they only stop scripts:
/// a benchmark that searches as fast as it can (<c>semicmr perf search-load</c>) raises or switches off the search limit.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>
    /// Sign-in attempts per client address and user name (the login form's posts). Lockout (5 wrong passwords lock an
    /// account for 5 minutes) protects one account; this bounds a client trying many passwords, or many names, quickly.
    /// </summary>
    public RateLimitWindow Login { get; set; } = new() { PermitLimit = 10, WindowSeconds = 60 };

    /// <summary>Dataset uploads and folder imports per user (each starts an import that reads and encodes every item).</summary>
    public RateLimitWindow Imports { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    /// <summary>Searches per user, the REST API's and the search page's together (a text or image query runs an encoder).</summary>
    public RateLimitWindow Search { get; set; } = new() { PermitLimit = 600, WindowSeconds = 60 };
}

/// <summary>At most <see cref="PermitLimit"/> requests in each window of <see cref="WindowSeconds"/>; a limit of 0 switches it off.</summary>
public sealed class RateLimitWindow
{
    public const int MaxWindowSeconds = 24 * 60 * 60;

    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; }

    public bool IsOff => PermitLimit == 0;
}

/// <summary>Each window's values, named by their keys (a nested section has no attribute validation of its own).</summary>
public sealed class RateLimitOptionsRules : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, window) in new[] { ("Login", options.Login), ("Imports", options.Imports), ("Search", options.Search) })
        {
            string prefix = $"{RateLimitOptions.Section}:{key}";
            if (window.PermitLimit < 0)
                failures.Add($"{prefix}:PermitLimit must be 0 (no limit) or more, got {window.PermitLimit}.");
            if (window.WindowSeconds is < 1 or > RateLimitWindow.MaxWindowSeconds)
                failures.Add($"{prefix}:WindowSeconds must be between 1 and {RateLimitWindow.MaxWindowSeconds}, got {window.WindowSeconds}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
