using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Protection;

/// <summary>
/// ASP.NET Core's rate limiter on what one client could overdo (<see cref="RateLimitOptions"/>): sign-in attempts per
/// address and user name, uploads and imports per user, searches per user (shared with the search page through
/// <see cref="SearchQuota"/>). Endpoints name their limit with <see cref="LimitedBy"/> (the login page with
/// <c>[EnableRateLimiting]</c>); a refusal is a 429 problem with Retry-After that names the setting.
/// </summary>
public static class RateLimits
{
    public const string Login = "login";
    public const string Imports = "imports";
    public const string Search = "search";

    /// <summary>The login form's field with the user name (its model is <c>Input</c>).</summary>
    private const string UserNameField = "Input.UserName";
    /// <summary>Longer names are cut for the partition key, so a sprayer's keys stay small.</summary>
    private const int MaxNameInKey = 100;

    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SearchQuota>();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = Refuse;
            options.AddPolicy(Login, context => HttpMethods.IsPost(context.Request.Method)
                ? Window(Address(context) + "|" + SignInName(context), Settings(context).Login)
                : RateLimitPartition.GetNoLimiter(""));
            options.AddPolicy(Imports, context => Window(UserKey(context), Settings(context).Imports));
            options.AddPolicy(Search, context =>
            {
                var quota = context.RequestServices.GetRequiredService<SearchQuota>();
                return RateLimitPartition.Get(UserKey(context), quota.ShareOf);
            });
        });
        return builder;
    }

    /// <summary>After authentication (limits are per user) and before the endpoints.</summary>
    public static WebApplication UseRateLimits(this WebApplication app)
    {
        // The login limit is keyed by the posted user name: the form is read here, asynchronously, so that the
        // (synchronous) partition can take the name from it; the page then reads the same parsed form.
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(AuthExtensions.LoginPath, StringComparison.OrdinalIgnoreCase)
                && context.Request.HasFormContentType)
            {
                try { await context.Request.ReadFormAsync(context.RequestAborted); }
                catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException) { } // the page refuses it
            }
            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Names the endpoint's limit and declares its 429 answer to OpenAPI.</summary>
    public static RouteHandlerBuilder LimitedBy(this RouteHandlerBuilder endpoint, string policy) =>
        endpoint.RequireRateLimiting(policy).ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>A fixed window for <paramref name="key"/>, or none when the setting's limit is 0.</summary>
    public static RateLimitPartition<string> Window(string key, RateLimitWindow window) => window.IsOff
        ? RateLimitPartition.GetNoLimiter(key)
        : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = window.PermitLimit, Window = TimeSpan.FromSeconds(window.WindowSeconds), QueueLimit = 0, AutoReplenishment = true,
        });

    /// <summary>
    /// The user (their API tokens share their limit: more tokens do not buy more requests); the client address for a
    /// request nobody signed in (the limited endpoints refuse those before the limiter anyway).
    /// </summary>
    public static string UserKey(HttpContext context) => UserKey(context.User) ?? "address:" + Address(context);

    /// <summary>The key of a signed-in user (a request's or a page's), or null for nobody.</summary>
    public static string? UserKey(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id ? "user:" + id : null;

    /// <summary>
    /// The sentence a refused client reads: which limit, how much it allows, the setting, when to try again. One
    /// wording for the 429 answers and the search page.
    /// </summary>
    public static string Refusal(string? policy, RateLimitOptions options, TimeSpan? retryAfter)
    {
        string again = retryAfter is { } wait ? $" Try again in {RetryAfterSeconds(wait)} s." : " Try again later.";
        var (what, window, key) = policy switch
        {
            Login => ("sign-in attempts for this user name from this address", options.Login, "Login"),
            Imports => ("dataset uploads and imports by one user", options.Imports, "Imports"),
            Search => ("searches by one user (REST API and search page together)", options.Search, "Search"),
            _ => ("requests", null, ""),
        };
        return window is null
            ? $"Too many requests (the settings under {RateLimitOptions.Section}).{again}"
            : $"Too many {what}: at most {window.PermitLimit} in {window.WindowSeconds} s (the setting {RateLimitOptions.Section}:{key}).{again}";
    }

    private static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private static async ValueTask Refuse(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        string? policy = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        TimeSpan? retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = RetryAfterSeconds(seconds).ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: Refusal(policy, Settings(context), retryAfter)).ExecuteAsync(context);
    }

    private static RateLimitOptions Settings(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The posted user name as Identity compares it (trimmed, any case), read from the form UseRateLimits parsed.</summary>
    private static string SignInName(HttpContext context)
    {
        string name = context.Features.Get<IFormFeature>()?.Form?[UserNameField].ToString().Trim().ToUpperInvariant() ?? "";
        return name.Length > MaxNameInKey ? name[..MaxNameInKey] : name;
    }
}
