using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SemiCmr.Web.Auth;

/// <summary>
/// Single-user mode (<c>Auth:Mode=None</c>): every request is the one local admin, so the same policies hold in both
/// modes. Until <see cref="AuthStartup"/> has seen that the server listens on loopback only, nobody is signed in:
/// a request racing a refused start gets 401, never the admin.
/// </summary>
public sealed class LocalUserHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, LocalListenCheck check)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Local";
    public const string UserId = "local";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!check.Passed) return Task.FromResult(AuthenticateResult.NoResult());
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, UserId), new Claim(ClaimTypes.Name, "local"), new Claim(ClaimTypes.Role, Roles.Admin)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>Set once start-up has checked that single-user mode listens on loopback only.</summary>
public sealed class LocalListenCheck
{
    private volatile bool passed;
    public bool Passed => passed;
    public void Pass() => passed = true;
}
