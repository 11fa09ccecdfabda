using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Auth;

/// <summary>
/// The owners pages show beside datasets and runs (their <c>CreatedBy</c>), by user name, read in one query for a
/// page's rows: an editor who sees no Delete on a row sees whose it is. Single-user mode shows none: its one user owns
/// everything.
/// </summary>
public sealed class Owners(IDbContextFactory<SemiCmrDb> dbFactory, IOptions<AuthOptions> options)
{
    public bool Shown => options.Value.Mode == AuthMode.Accounts;

    public async Task<OwnerNames> Names(IEnumerable<string?> ownerIds, CancellationToken cancellationToken = default)
    {
        var ids = ownerIds.OfType<string>().Distinct().ToList();
        if (!Shown || ids.Count == 0) return OwnerNames.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.UserName }).ToDictionaryAsync(u => u.Id, u => u.UserName ?? u.Id, cancellationToken);
        return new OwnerNames(names);
    }
}

/// <summary>User names by user id, for the rows of one page.</summary>
public sealed record OwnerNames(IReadOnlyDictionary<string, string> ById)
{
    public static OwnerNames Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>
    /// The owner's user name. Rows from before accounts and the demo's have none (only admins change them); rows made in
    /// single-user mode belong to its local user; a deleted user's rows keep the id of someone no longer found.
    /// </summary>
    public string Of(string? ownerId) => ownerId switch
    {
        null => "no owner",
        _ when ById.TryGetValue(ownerId, out var name) => name,
        LocalUserHandler.UserId => "local user",
        _ => "a removed user",
    };
}
