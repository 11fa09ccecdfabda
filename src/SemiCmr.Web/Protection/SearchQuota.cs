using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Protection;

/// <summary>
/// Each user's searches (RateLimits:Search), one budget for the REST API and the search page: the page calls
/// <see cref="Search.SearchService"/> from its circuit, past the HTTP rate limiter, so it takes its permits here, and the
/// REST policy draws on the same per-user limiters (<see cref="ShareOf"/>). Keyed like the HTTP limits (<see cref="RateLimits.UserKey"/>).
/// </summary>
public sealed class SearchQuota : IDisposable
{
    private readonly RateLimitOptions options;
    private readonly PartitionedRateLimiter<string> limiters;

    public SearchQuota(IOptions<RateLimitOptions> options)
    {
        this.options = options.Value;
        limiters = PartitionedRateLimiter.Create<string, string>(key => RateLimits.Window(key, this.options.Search));
    }

    /// <summary>One search by <paramref name="user"/> (a page's signed-in user): null when allowed, else the sentence saying why not.</summary>
    public string? Take(ClaimsPrincipal user)
    {
        // Pages are for signed-in users; nobody (a component test without authentication) shares one key.
        using var lease = limiters.AttemptAcquire(RateLimits.UserKey(user) ?? "nobody");
        if (lease.IsAcquired) return null;
        return RateLimits.Refusal(RateLimits.Search, options, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null);
    }

    /// <summary>
    /// For the HTTP limiter's search policy: a limiter that takes its permits from this user's shared one. The HTTP
    /// limiter keeps it as long as it likes (it reports no idle time) and may dispose it; the shared limiters stay.
    /// </summary>
    public RateLimiter ShareOf(string key) => new Share(limiters, key);

    public void Dispose() => limiters.Dispose();

    private sealed class Share(PartitionedRateLimiter<string> limiters, string key) : RateLimiter
    {
        public override TimeSpan? IdleDuration => null;

        public override RateLimiterStatistics? GetStatistics() => limiters.GetStatistics(key);

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => limiters.AttemptAcquire(key, permitCount);

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            limiters.AcquireAsync(key, permitCount, cancellationToken);
    }
}
