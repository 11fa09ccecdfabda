using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Auth;

/// <summary>
/// The first start of Accounts mode: while no user exists, the login page sends everyone to /account/setup, which
/// creates the admin (there is no default password). Once a user exists the answer is remembered and setup refuses.
/// </summary>
public sealed class FirstAdmin(IServiceScopeFactory scopes)
{
    public const string SetupPath = "/account/setup";

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool someoneExists;

    public async Task<bool> Needed(CancellationToken cancellationToken = default)
    {
        if (someoneExists) return false;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        someoneExists = users.Users.Any();
        return !someoneExists;
    }

    /// <summary>
    /// The admin, or why not: one exists already (two browsers racing, on one instance or two, get one admin), or
    /// Identity's rules. The check and the creation are one transaction holding <see cref="AccountChangeLock"/>.
    /// </summary>
    public async Task<Outcome<IdentityUser>> Create(string userName, string password, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SemiCmrDb>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await AccountChangeLock.Take(db, cancellationToken);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            if (someoneExists || await db.Users.AnyAsync(cancellationToken))
            {
                someoneExists = true;
                return ServiceProblem.Conflict("userName", "An account exists already: sign in, or ask an admin for one.");
            }
            var user = new IdentityUser(userName.Trim());
            var created = await users.CreateAsync(user, password);
            if (created.Succeeded) created = await users.AddToRoleAsync(user, Roles.Admin);
            if (!created.Succeeded) return IdentityProblems.From(created);
            await transaction.CommitAsync(cancellationToken);
            someoneExists = true;
            return user;
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>Identity's refusals (password rules, taken names) as a <see cref="ServiceProblem"/> naming the form field.</summary>
public static class IdentityProblems
{
    public static ServiceProblem From(IdentityResult result) => new(ProblemKind.Invalid, result.Errors
        .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "userName")
        .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
}
