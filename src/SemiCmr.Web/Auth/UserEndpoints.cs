using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SemiCmr.Web.Api;

namespace SemiCmr.Web.Auth;

/// <summary>
/// <c>/api/users</c>: accounts, for admins (<see cref="UserAdmin"/>, which the users page reads too). Set-password links
/// are answered once, as a path to append to the server's address; the account page at that path is anonymous.
/// </summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        users.MapGet("/", List);
        users.MapPost("/", Create);
        users.MapPut("/{id}/role", ChangeRole);
        users.MapPost("/{id}/disable", Disable);
        users.MapPost("/{id}/enable", Enable);
        users.MapPost("/{id}/password-link", IssuePasswordLink);
        users.MapDelete("/{id}", Delete);
        return app;
    }

    private static async Task<Ok<List<UserResponse>>> List(UserAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.List(ct));

    private static async Task<Answer<Created<CreatedUserResponse>, Refused.Invalid, Refused.Conflict, Refused.Forbidden>> Create(
        CreateUserRequest request, ClaimsPrincipal user, UserAdmin admin, CancellationToken ct) =>
        (await admin.Create(request, Actor.From(user), ct)).Map(created => TypedResults.Created($"/api/users/{created.User.Id}", created));

    private static async Task<Answer<Ok<UserResponse>, Refused.Invalid, Refused.NotFound, Refused.Conflict, Refused.Forbidden>> ChangeRole(
        string id, ChangeRoleRequest request, ClaimsPrincipal user, UserAdmin admin, CancellationToken ct) =>
        (await admin.ChangeRole(id, request, Actor.From(user), ct)).Map(TypedResults.Ok);

    private static async Task<Answer<Ok<UserResponse>, Refused.NotFound, Refused.Conflict, Refused.Forbidden>> Disable(
        string id, ClaimsPrincipal user, UserAdmin admin, CancellationToken ct) =>
        (await admin.SetDisabled(id, disabled: true, Actor.From(user), ct)).Map(TypedResults.Ok);

    private static async Task<Answer<Ok<UserResponse>, Refused.NotFound, Refused.Conflict, Refused.Forbidden>> Enable(
        string id, ClaimsPrincipal user, UserAdmin admin, CancellationToken ct) =>
        (await admin.SetDisabled(id, disabled: false, Actor.From(user), ct)).Map(TypedResults.Ok);

    private static async Task<Answer<Ok<SetPasswordLink>, Refused.NotFound, Refused.Forbidden>> IssuePasswordLink(
        string id, ClaimsPrincipal user, UserAdmin admin, CancellationToken ct) =>
        (await admin.IssuePasswordLink(id, Actor.From(user), ct)).Map(TypedResults.Ok);

    private static async Task<Answer<NoContent, Refused.NotFound, Refused.Conflict, Refused.Forbidden>> Delete(
        string id, ClaimsPrincipal user, UserAdmin admin, CancellationToken ct) =>
        await admin.Delete(id, Actor.From(user), ct) is { } problem ? problem : TypedResults.NoContent();
}
