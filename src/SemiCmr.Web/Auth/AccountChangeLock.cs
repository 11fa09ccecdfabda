using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Auth;

/// <summary>
/// Account changes whose checks must see no other account change until they commit (the last enabled admin stays; the
/// first admin is created once), across every instance sharing the database. SQLite's transactions are BEGIN IMMEDIATE
/// and already take the write lock; on PostgreSQL the transaction takes one advisory lock, released at commit or rollback.
/// </summary>
public static class AccountChangeLock
{
    /// <summary>An arbitrary constant naming the lock among the database's advisory locks.</summary>
    private const long Key = 0x5345_4D49_4143_4354; // "SEMIACCT"

    /// <summary>Call inside the transaction, before the checks.</summary>
    public static async Task Take(SemiCmrDb db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({Key})", cancellationToken);
    }
}
