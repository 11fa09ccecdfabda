using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SemiCmr.Web.Api;

namespace SemiCmr.Web.Auth;

/// <summary>
/// <c>/api/tokens</c>: the caller's own API tokens, for every signed-in role. Listing never shows a secret; creating
/// answers it once; revoking stops the token at once (the next request with it is a 401).
/// </summary>
public static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/api/tokens").WithTags("API tokens").RequireAuthorization(Policies.ViewerOrAbove);
        tokens.MapGet("/", List);
        tokens.MapPost("/", Create);
        tokens.MapDelete("/{id:int}", Revoke);
        return app;
    }

    private static async Task<Ok<List<TokenResponse>>> List(ClaimsPrincipal user, ApiTokens tokens, CancellationToken ct) =>
        TypedResults.Ok(await tokens.List(user.FindFirstValue(ClaimTypes.NameIdentifier), ct));

    private static async Task<Answer<Created<CreatedTokenResponse>, Refused.Invalid, Refused.Conflict, Refused.Forbidden>> Create(
        CreateTokenRequest request, ClaimsPrincipal user, ApiTokens tokens, CancellationToken ct) =>
        (await tokens.Create(user, request, ct)).Map(created => TypedResults.Created($"/api/tokens/{created.Token.Id}", created));

    private static async Task<Answer<Ok<TokenResponse>, Refused.NotFound>> Revoke(int id, ClaimsPrincipal user, ApiTokens tokens, CancellationToken ct) =>
        (await tokens.Revoke(user.FindFirstValue(ClaimTypes.NameIdentifier), id, ct)).Map(TypedResults.Ok);
}
