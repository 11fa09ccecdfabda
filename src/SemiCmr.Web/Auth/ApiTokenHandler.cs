using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SemiCmr.Web.Auth;

/// <summary>
/// Signs in requests that carry an API token: <c>Authorization: Bearer scmr_...</c>, or, on the hub path only, the
/// <c>access_token</c> query parameter (SignalR clients send it there when a transport cannot carry headers, e.g.
/// browser WebSockets). <see cref="AuthExtensions"/> forwards to this scheme whenever a request carries a token, so
/// the same policies apply; a refused token is a 401 problem details saying why (revoked, expired, ...).
/// </summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string HubPath = "/hubs/runs";
    private const string Bearer = "Bearer ";

    /// <summary>The token a request carries, or null (then the cookie, or single-user mode, decides).</summary>
    public static string? TokenOf(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return header[Bearer.Length..].Trim();
        if (request.Path.StartsWithSegments(HubPath) && request.Query.TryGetValue("access_token", out var query) && !string.IsNullOrEmpty(query))
            return query.ToString();
        return null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (TokenOf(Request) is not { } token) return AuthenticateResult.NoResult();
        var check = await tokens.Check(token, Context.RequestAborted);
        return check.User is { } user
            ? AuthenticateResult.Success(new AuthenticationTicket(user, SchemeName))
            : AuthenticateResult.Fail(check.Refusal!);
    }

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c> and problem details whose detail says why the token was refused.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: result.Failure?.Message ?? "This needs an API token (Authorization: Bearer scmr_...) or a signed-in user.").ExecuteAsync(Context);
    }
}
