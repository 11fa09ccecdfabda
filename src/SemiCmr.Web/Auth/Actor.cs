using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using SemiCmr.Web.Api;

namespace SemiCmr.Web.Auth;

/// <summary>
/// Who asks a service to change something: the signed-in user's id (recorded as the owner of what they create),
/// whether they are an admin (who may change anything), their name (kept in the audit log as it was then) and whether
/// they came with an API token. Endpoints and pages make one from their user; services check ownership with
/// <see cref="MayChange"/>, so the REST API and the pages refuse the same things.
/// </summary>
/// <param name="Name">The user name, or null for no one (the app itself, e.g. the demo seeder).</param>
/// <param name="ByToken">Signed in by an API token: some changes (tokens, accounts) need a real sign-in.</param>
public sealed record Actor(string? UserId, bool IsAdmin, string? Name = null, bool ByToken = false)
{
    /// <summary>No one signed in: owns nothing, may change nothing owned.</summary>
    public static Actor Nobody { get; } = new(null, false);

    public static Actor From(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
            ? new(user.FindFirstValue(ClaimTypes.NameIdentifier), user.IsInRole(Roles.Admin), user.Identity.Name,
                user.HasClaim(c => c.Type == ApiTokens.TokenIdClaim))
            : Nobody;

    /// <summary>The user of a page (its cascading authentication state; absent in component tests: nobody).</summary>
    public static async Task<Actor> Of(Task<AuthenticationState>? state) => state is null ? Nobody : From((await state).User);

    /// <summary>Admins change anything; others only what they own (rows from before accounts, or the demo's, have no owner).</summary>
    public bool MayChange(string? ownerId) => IsAdmin || (ownerId is not null && ownerId == UserId);

    /// <summary>The refusal when <see cref="MayChange"/> says no: what, and who may.</summary>
    public static ServiceProblem NotYours(string what, string action) =>
        ServiceProblem.Field(ProblemKind.Forbidden, "id", $"{what} belongs to another user: only its owner or an admin can {action} it.");
}
