using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Api;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Auth;

/// <summary>
/// Active: may sign in. Locked: Identity's lockout after failed sign-ins, ending by itself within minutes (an admin may
/// end it at once by enabling the user). Disabled: by an admin, until an admin enables the user again.
/// </summary>
public enum UserState { Active, Locked, Disabled }

/// <summary>An account as admins see it.</summary>
/// <param name="HasPassword">False for an invited user who has not used their set-password link yet.</param>
/// <param name="CreatedAt">When the account was made; null for accounts from before it was recorded.</param>
public sealed record UserResponse(string Id, string UserName, string? Role, UserState State, bool HasPassword, DateTime? CreatedAt);

/// <param name="UserName">1-100 characters: letters, digits and -._@+ (Identity's rule).</param>
/// <param name="Role">Viewer, Editor or Admin.</param>
public sealed record CreateUserRequest(string? UserName, string? Role);

/// <param name="Role">Viewer, Editor or Admin.</param>
public sealed record ChangeRoleRequest(string? Role);

/// <summary>
/// A one-time link to the anonymous set-password page, shown to the admin once (it is not stored). It works once, until
/// <see cref="ExpiresAt"/>, and not after the user's password or role changed or they were disabled (their security stamp changed).
/// </summary>
/// <param name="Path">The link's path and query, to append to the server's address.</param>
public sealed record SetPasswordLink(string Path, DateTime ExpiresAt);

public sealed record CreatedUserResponse(UserResponse User, SetPasswordLink Link);

/// <summary>
/// Accounts, for admins (REST <c>/api/users</c> and the users page read this one service): list, create (there is no
/// mail server, so an invitation is an account without a password and a set-password link the admin passes on), change
/// a role, disable and enable, issue a set-password link, delete. Each change and its audit entry commit in one
/// transaction, begun before the checks: SQLite's write lock then keeps two admins from demoting each other at once.
/// </summary>
/// <remarks>
/// <para>Rules: an admin cannot change, disable or delete their own account (another admin can), and no change may leave
/// the server without an enabled admin. Accounts are changed by a signed-in admin only, never through an API token: a
/// leaked token could otherwise make itself an account that outlives it (as <see cref="ApiTokens"/> refuses tokens making tokens).</para>
/// <para>Disabling is Identity's lockout with no end (<see cref="DateTimeOffset.MaxValue"/>), not a flag of our own:
/// the sign-in page (<c>PasswordSignInAsync</c>) and <see cref="ApiTokens.Check"/> already refuse locked-out users, so
/// no path that signs someone in can forget the check, and Identity's user table needs no new column. A disabled user
/// fails the lockout check before the password is tried, so failed attempts never turn "disabled" into a five-minute lock.</para>
/// <para>A role change, disabling and deleting change the user's security stamp: the cookie of every session of theirs is
/// refused at its next request (the stamp is checked on every request, see <see cref="AuthExtensions"/>) and open pages
/// lose their sign-in within <see cref="CircuitRevalidation"/>'s interval; they sign in again with the new role. Their
/// API tokens act with at most the role the user has at each request (<see cref="ApiTokens.Check"/>).</para>
/// </remarks>
public sealed class UserAdmin(IServiceScopeFactory scopes, IDbContextFactory<SemiCmrDb> dbFactory, IOptions<DataProtectionTokenProviderOptions> links)
{
    public const string SetPasswordPath = "/account/set-password";
    public const int MaxUserNameLength = 100;

    /// <summary>How long a set-password link works (Identity's token lifespan, set in <see cref="AuthExtensions.AddAuth"/>).</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(3);

    /// <summary>Every account by name, with its role and state.</summary>
    public async Task<List<UserResponse>> List(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedUserName)
            .Select(u => new { User = u, CreatedAt = EF.Property<DateTime?>(u, SemiCmrDb.UserCreatedAt) }).ToListAsync(cancellationToken);
        var roles = await (from link in db.UserRoles join role in db.Roles on link.RoleId equals role.Id select new { link.UserId, role.Name })
            .ToListAsync(cancellationToken);
        var byUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        return users.ConvertAll(u => Describe(u.User, Roles.Highest(byUser[u.User.Id]), u.CreatedAt));
    }

    /// <summary>A new account with <paramref name="request"/>'s role and no password, and the link that lets its user choose one.</summary>
    public async Task<Outcome<CreatedUserResponse>> Create(CreateUserRequest request, Actor actor, CancellationToken cancellationToken = default)
    {
        if (Refusal(actor) is { } refused) return refused;
        string? name = request.UserName?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(name) || name.Length > MaxUserNameLength)
            errors["userName"] = [$"userName is required: at most {MaxUserNameLength} characters."];
        string? role = Roles.Named(request.Role);
        if (role is null) errors["role"] = [RoleRule(request.Role)];
        if (errors.Count > 0) return new ServiceProblem(ProblemKind.Invalid, errors);

        await using var change = await Begin(cancellationToken);
        var user = new IdentityUser(name!);
        var created = await change.Users.CreateAsync(user);
        if (!created.Succeeded)
            return created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
                ? ServiceProblem.Conflict("userName", $"A user named '{Problems.Echo(name)}' exists already.")
                : IdentityProblems.From(created);
        Require(await change.Users.AddToRoleAsync(user, role!));
        var link = await Link(change.Users, user);
        AuditLog.Add(change.Db, actor, AuditSubject.User, AuditAction.Created, user.Id, user.UserName, $"as {role}");
        await change.Commit(cancellationToken);
        return new CreatedUserResponse(await Describe(change, user), link);
    }

    /// <summary>Gives the user <paramref name="request"/>'s role (their only one); the same role again changes nothing.</summary>
    public async Task<Outcome<UserResponse>> ChangeRole(string id, ChangeRoleRequest request, Actor actor, CancellationToken cancellationToken = default)
    {
        if (Refusal(actor) is { } refused) return refused;
        string? role = Roles.Named(request.Role);
        if (role is null) return ServiceProblem.Invalid("role", RoleRule(request.Role));

        await using var change = await Begin(cancellationToken);
        if (await change.Users.FindByIdAsync(id) is not { } user) return UserNotFound(id);
        string? current = Roles.Highest(await change.Users.GetRolesAsync(user));
        if (current == role) return await Describe(change, user);
        if (id == actor.UserId) return ServiceProblem.Conflict("id", "You cannot change your own role: another admin can.");
        if (current == Roles.Admin && await LastEnabledAdmin(change.Users, user))
            return LastAdmin(user, "demoted");

        Require(await change.Users.RemoveFromRolesAsync(user, (await change.Users.GetRolesAsync(user)).ToList()));
        Require(await change.Users.AddToRoleAsync(user, role));
        Require(await change.Users.UpdateSecurityStampAsync(user));
        AuditLog.Add(change.Db, actor, AuditSubject.User, AuditAction.RoleChanged, user.Id, user.UserName, $"{current ?? "no role"} → {role}");
        await change.Commit(cancellationToken);
        return await Describe(change, user);
    }

    /// <summary>
    /// Disables (the user cannot sign in, their sessions end and their API tokens stop) or enables the user; enabling
    /// also ends a lockout after failed sign-ins. Asking for the state the user is in changes nothing.
    /// </summary>
    public async Task<Outcome<UserResponse>> SetDisabled(string id, bool disabled, Actor actor, CancellationToken cancellationToken = default)
    {
        if (Refusal(actor) is { } refused) return refused;
        await using var change = await Begin(cancellationToken);
        if (await change.Users.FindByIdAsync(id) is not { } user) return UserNotFound(id);
        var state = StateOf(user);
        if (disabled)
        {
            if (state == UserState.Disabled) return await Describe(change, user);
            if (id == actor.UserId) return ServiceProblem.Conflict("id", "You cannot disable your own account: another admin can.");
            if (await change.Users.IsInRoleAsync(user, Roles.Admin) && await LastEnabledAdmin(change.Users, user)) return LastAdmin(user, "disabled");
            Require(await change.Users.SetLockoutEnabledAsync(user, true));
            Require(await change.Users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
            Require(await change.Users.UpdateSecurityStampAsync(user));
            AuditLog.Add(change.Db, actor, AuditSubject.User, AuditAction.Disabled, user.Id, user.UserName);
        }
        else
        {
            if (state == UserState.Active) return await Describe(change, user);
            Require(await change.Users.SetLockoutEndDateAsync(user, null));
            Require(await change.Users.ResetAccessFailedCountAsync(user));
            AuditLog.Add(change.Db, actor, AuditSubject.User, AuditAction.Enabled, user.Id, user.UserName,
                state == UserState.Locked ? "was locked after failed sign-ins" : null);
        }
        await change.Commit(cancellationToken);
        return await Describe(change, user);
    }

    /// <summary>
    /// A new set-password link for the user (who forgot their password, or lost their invitation). Their password keeps
    /// working until the link is used; using any link voids the others.
    /// </summary>
    public async Task<Outcome<SetPasswordLink>> IssuePasswordLink(string id, Actor actor, CancellationToken cancellationToken = default)
    {
        if (Refusal(actor) is { } refused) return refused;
        await using var change = await Begin(cancellationToken);
        if (await change.Users.FindByIdAsync(id) is not { } user) return UserNotFound(id);
        var link = await Link(change.Users, user);
        AuditLog.Add(change.Db, actor, AuditSubject.User, AuditAction.PasswordLinkIssued, user.Id, user.UserName);
        await change.Commit(cancellationToken);
        return link;
    }

    /// <summary>
    /// Deletes the account and its API tokens. What the user created stays, owned by an id no one has: only admins change it.
    /// </summary>
    public async Task<ServiceProblem?> Delete(string id, Actor actor, CancellationToken cancellationToken = default)
    {
        if (Refusal(actor) is { } refused) return refused;
        await using var change = await Begin(cancellationToken);
        if (await change.Users.FindByIdAsync(id) is not { } user) return UserNotFound(id);
        if (id == actor.UserId) return ServiceProblem.Conflict("id", "You cannot delete your own account: another admin can.");
        string? role = Roles.Highest(await change.Users.GetRolesAsync(user));
        if (role == Roles.Admin && await LastEnabledAdmin(change.Users, user)) return LastAdmin(user, "deleted");
        Require(await change.Users.DeleteAsync(user));
        AuditLog.Add(change.Db, actor, AuditSubject.User, AuditAction.Deleted, id, user.UserName, role is null ? null : $"was {role}");
        await change.Commit(cancellationToken);
        return null;
    }

    /// <summary>The user name a set-password link is for, if it still works (nothing is used up: the page asks before showing its form).</summary>
    public async Task<Outcome<string>> CheckLink(string? userId, string? code, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(code) || Decode(code) is not { } token) return BadLink;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByIdAsync(userId) is not { } user) return BadLink;
        bool works = await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<IdentityUser>.ResetPasswordTokenPurpose, token);
        return works ? user.UserName! : BadLink;
    }

    /// <summary>
    /// The anonymous end of a link: sets the password (Identity's rules) if the link is the user's, unused and unexpired.
    /// Setting it changes the user's security stamp, which voids this link and every other one. Answers the user's name.
    /// </summary>
    public async Task<Outcome<string>> SetPassword(string? userId, string? code, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(code) || Decode(code) is not { } token) return BadLink;
        if (string.IsNullOrEmpty(password)) return ServiceProblem.Invalid("password", "Choose a password.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByIdAsync(userId) is not { } user) return BadLink;
        var result = await users.ResetPasswordAsync(user, token, password);
        if (result.Succeeded) return user.UserName!;
        return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)) ? BadLink : IdentityProblems.From(result);
    }

    /// <summary>One refusal for every broken link (unknown user, altered, used, expired, replaced): it tells a guesser nothing.</summary>
    private static ServiceProblem BadLink => ServiceProblem.Invalid("link",
        "This link does not work: it was used already, has expired, or the account changed since. Ask an admin for a new one.");

    /// <summary>Active, locked after failed sign-ins, or disabled by an admin (a lockout without end).</summary>
    public static UserState StateOf(IdentityUser user) =>
        user.LockoutEnd is not { } end || end <= DateTimeOffset.UtcNow ? UserState.Active
        : end.Year == DateTimeOffset.MaxValue.Year ? UserState.Disabled
        : UserState.Locked;

    private static ServiceProblem? Refusal(Actor actor) =>
        !actor.IsAdmin ? ServiceProblem.Field(ProblemKind.Forbidden, "user", "Only admins manage accounts.")
        : actor.ByToken ? ServiceProblem.Field(ProblemKind.Forbidden, "token", "An API token cannot manage accounts: sign in to the app as an admin.")
        : null;

    private static string RoleRule(string? given) => $"role must be Viewer, Editor or Admin; got '{Problems.Echo(given)}'.";

    private static ServiceProblem UserNotFound(string id) => ServiceProblem.NotFound("id", $"User '{Problems.Echo(id)}'");

    private static ServiceProblem LastAdmin(IdentityUser user, string what) =>
        ServiceProblem.Conflict("id", $"{user.UserName} is the only enabled admin and cannot be {what}: make another user an admin first.");

    /// <summary>Whether <paramref name="user"/> is the only admin who is not disabled (a temporary lockout does not count).</summary>
    private static async Task<bool> LastEnabledAdmin(UserManager<IdentityUser> users, IdentityUser user) =>
        !(await users.GetUsersInRoleAsync(Roles.Admin)).Any(admin => admin.Id != user.Id && StateOf(admin) != UserState.Disabled);

    private async Task<SetPasswordLink> Link(UserManager<IdentityUser> users, IdentityUser user)
    {
        string token = await users.GeneratePasswordResetTokenAsync(user);
        string code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        return new SetPasswordLink($"{SetPasswordPath}?user={Uri.EscapeDataString(user.Id)}&code={code}", DateTime.UtcNow.Add(links.Value.TokenLifespan));
    }

    private static string? Decode(string code)
    {
        try { return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code)); }
        catch (FormatException) { return null; }
    }

    /// <summary>An Identity step that cannot fail for a user just read (a concurrency stamp changed under us): fail loudly, roll back.</summary>
    private static void Require(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("Changing the account failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    private static async Task<UserResponse> Describe(Change change, IdentityUser user) =>
        Describe(user, Roles.Highest(await change.Users.GetRolesAsync(user)), change.Db.Entry(user).Property<DateTime?>(SemiCmrDb.UserCreatedAt).CurrentValue);

    private static UserResponse Describe(IdentityUser user, string? role, DateTime? createdAt) =>
        new(user.Id, user.UserName ?? user.Id, role, StateOf(user), user.PasswordHash is not null, createdAt);

    /// <summary>
    /// A scope whose UserManager writes through <see cref="Db"/> (Identity's store uses the scope's context), inside a
    /// transaction begun at once holding <see cref="AccountChangeLock"/>, so the checks that follow see no other account
    /// change until commit, from this instance or another.
    /// </summary>
    private async Task<Change> Begin(CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SemiCmrDb>();
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AccountChangeLock.Take(db, cancellationToken);
        return new Change(scope, db, scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>(), transaction);
    }

    private sealed record Change(AsyncServiceScope Scope, SemiCmrDb Db, UserManager<IdentityUser> Users,
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction Transaction) : IAsyncDisposable
    {
        /// <summary>Saves what is pending (the audit entry) and commits; disposing without it rolls everything back.</summary>
        public async Task Commit(CancellationToken cancellationToken)
        {
            await Db.SaveChangesAsync(cancellationToken);
            await Transaction.CommitAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Scope.DisposeAsync();
        }
    }
}
