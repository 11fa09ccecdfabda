using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace SemiCmr.Web.Tests.Components.Auth;

/// <summary>
/// Signs a bUnit context in (bUnit's AddAuthorization: the pages' cascading authentication state) as a user with an id
/// and a role. The app's own authorization service then decides the policies: bUnit's stand-in grants whatever policy a
/// test lists, so a page asking the wrong policy would still pass.
/// </summary>
public static class TestUsers
{
    public static void SignIn(BunitContext context, IServiceProvider app, string userId, string userName, string role)
    {
        var user = context.AddAuthorization();
        user.SetAuthorized(userName);
        user.SetRoles(role);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
        context.Services.AddSingleton(app.GetRequiredService<IAuthorizationService>());
        context.Services.AddSingleton(app.GetRequiredService<IAuthorizationPolicyProvider>());
    }
}
