using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Auth;

public enum TokenState { Active, Expired, Revoked }

/// <summary>A token as its owner sees it in lists: never its secret, only its prefix.</summary>
public sealed record TokenResponse(int Id, string Name, string Prefix, string Role, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, TokenState State);

/// <summary>A new token; <see cref="Secret"/> is the token to send as <c>Authorization: Bearer</c>, shown this once.</summary>
public sealed record CreatedTokenResponse(TokenResponse Token, string Secret);

/// <param name="Name">What the token is for (1-100 characters), e.g. "CI search checks".</param>
/// <param name="Days">Days until it expires, 1-365 (required: every token expires).</param>
/// <param name="Role">Viewer, Editor or Admin, at most the user's own role; the user's role when absent.</param>
public sealed record CreateTokenRequest(string? Name, int? Days, string? Role);

/// <summary>A bearer token's holder, or why the token was refused (the 401's detail).</summary>
public sealed record TokenCheck(ClaimsPrincipal? User, string? Refusal);

/// <summary>
/// Personal API tokens: users create, list and revoke their own (REST <c>/api/tokens</c> and the tokens page read the
/// same service), and <see cref="ApiTokenHandler"/> checks a bearer token here on each request. A token acts with the
/// lower of its own role and its user's current role, and stops working when it is revoked or expired, or its user is
/// locked out (disabled) or deleted (its rows go with the user).
/// </summary>
public sealed class ApiTokens(IDbContextFactory<SemiCmrDb> dbFactory, IServiceScopeFactory scopes, TimeProvider clock)
{
    public const int MaxDays = 365;
    /// <summary>Unrevoked, unexpired tokens a user may hold at once.</summary>
    public const int MaxActive = 50;
    /// <summary>The claim that marks a principal signed in by a token (its id).</summary>
    public const string TokenIdClaim = "semicmr:token";

    public async Task<List<TokenResponse>> List(string? userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = Now;
        var rows = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync(cancellationToken);
        return rows.ConvertAll(t => Describe(t, now));
    }

    /// <summary>
    /// A new token for the signed-in <paramref name="user"/>. A token cannot make tokens (a leaked one could otherwise
    /// outlive its expiry): creating one needs a sign-in. Its role is at most the caller's.
    /// </summary>
    public async Task<Outcome<CreatedTokenResponse>> Create(ClaimsPrincipal user, CreateTokenRequest request, CancellationToken cancellationToken)
    {
        if (user.HasClaim(c => c.Type == TokenIdClaim))
            return ServiceProblem.Field(ProblemKind.Forbidden, "token", "An API token cannot create tokens: sign in to the app to create one.");
        string? userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        string? name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > ApiToken.MaxNameLength)
            return ServiceProblem.Invalid("name", $"name is required: what the token is for, at most {ApiToken.MaxNameLength} characters.");
        if (request.Days is not (>= 1 and <= MaxDays))
            return ServiceProblem.Invalid("days", $"days is required: the token expires after 1 to {MaxDays} days.");
        string? callerRole = Roles.Highest(user.FindAll(ClaimTypes.Role).Select(c => c.Value));
        string? role = request.Role is null ? callerRole : Roles.Named(request.Role);
        if (role is null || callerRole is null || Roles.Rank(role) > Roles.Rank(callerRole))
            return ServiceProblem.Invalid("role", $"role must be one of {string.Join(", ", Roles.All.Where(r => Roles.Rank(r) <= Roles.Rank(callerRole)).Reverse())}: "
                + $"at most your own role ({callerRole ?? "none"}), got '{Problems.Echo(request.Role)}'.");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (userId is null || !await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
            return ServiceProblem.Conflict("token", "API tokens belong to accounts; single-user mode (Auth:Mode=None) needs none.");
        var now = Now;
        if (await db.ApiTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null && t.ExpiresAt > now, cancellationToken) >= MaxActive)
            return ServiceProblem.Conflict("token", $"You have {MaxActive} active tokens, the most allowed: revoke one first.");

        string secret = TokenSecret.New();
        var token = new ApiToken
        {
            UserId = userId, Name = name, Prefix = TokenSecret.Prefix(secret), Hash = TokenSecret.Hash(secret), Role = role,
            CreatedAt = now, ExpiresAt = now.AddDays(request.Days.Value),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedTokenResponse(Describe(token, now), secret);
    }

    /// <summary>Revokes one of the user's tokens (again is harmless); another user's token is "not found", never "not yours".</summary>
    public async Task<Outcome<TokenResponse>> Revoke(string? userId, int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, cancellationToken);
        if (token is null) return ServiceProblem.NotFound("id", $"Token {id}");
        var now = Now;
        if (token.RevokedAt is null)
        {
            token.RevokedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        return Describe(token, now);
    }

    /// <summary>The user a bearer token acts for, with the lower of the token's and the user's role; or why not.</summary>
    public async Task<TokenCheck> Check(string token, CancellationToken cancellationToken)
    {
        if (!TokenSecret.LooksLikeOne(token)) return Refused($"The bearer token is not a SemiCmr API token (those start with {TokenSecret.Marker}).");
        string prefix = TokenSecret.Prefix(token);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.ApiTokens.AsNoTracking().Where(t => t.Prefix == prefix).ToListAsync(cancellationToken);
        var row = candidates.FirstOrDefault(t => TokenSecret.Matches(t.Hash, token));
        if (row is null) return Refused("The API token is not known (deleted with its user, or mistyped).");
        if (row.RevokedAt is not null) return Refused("The API token was revoked; create a new one.");
        if (row.ExpiresAt <= Now) return Refused($"The API token expired on {row.ExpiresAt:yyyy-MM-dd HH:mm} UTC; create a new one.");

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByIdAsync(row.UserId);
        if (user is null) return Refused("The API token's user no longer exists.");
        if (await users.IsLockedOutAsync(user)) return Refused("The API token's user is locked out or disabled.");
        string? userRole = Roles.Highest(await users.GetRolesAsync(user));
        if (userRole is null) return Refused("The API token's user has no role.");

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.UserName ?? user.Id),
                new Claim(ClaimTypes.Role, Roles.Lower(row.Role, userRole)), new Claim(TokenIdClaim, row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ], ApiTokenHandler.SchemeName);
        return new TokenCheck(new ClaimsPrincipal(identity), null);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static TokenCheck Refused(string why) => new(null, why);

    private static TokenResponse Describe(ApiToken t, DateTime now) => new(t.Id, t.Name, t.Prefix, t.Role, t.CreatedAt, t.ExpiresAt, t.RevokedAt,
        t.RevokedAt is not null ? TokenState.Revoked : t.ExpiresAt <= now ? TokenState.Expired : TokenState.Active);
}
