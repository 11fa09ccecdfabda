using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace SemiCmr.Web.Auth;

/// <summary>
/// The sign-in of an open page (a Blazor circuit, signed in once when it connects) checked again every
/// <see cref="Interval"/>: when the user's security stamp has changed (their role was changed, they were disabled or
/// deleted, or set a new password) the page loses its sign-in and goes to the login page, so a demoted admin's open
/// page stops acting as an admin. HTTP requests are checked on each request by the cookie's stamp validator instead.
/// </summary>
public sealed class CircuitRevalidation(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsCurrent(authenticationState.User);

    /// <summary>
    /// Whether <paramref name="user"/> still stands: single-user mode's local admin always; an account while it exists
    /// and its security stamp is the one it signed in with; anyone else (a principal without a stamp) not.
    /// </summary>
    public async Task<bool> IsCurrent(ClaimsPrincipal user)
    {
        if (user.Identity?.AuthenticationType == LocalUserHandler.SchemeName) return true;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.GetUserAsync(user) is not { } found) return false;
        string? stamp = user.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp is not null && stamp == await users.GetSecurityStampAsync(found);
    }
}
