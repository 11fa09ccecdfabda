using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Audit;

/// <summary>GET /api/audit as asked: a kind (dataset, run, budget, user) and a user name narrow it; offset and limit page it.</summary>
public sealed record AuditQuery(string? Kind = null, string? User = null, int? Offset = null, int? Limit = null);

/// <param name="Actor">Who did it (their user name then; "local" in single-user mode, "(app)" for the app itself).</param>
/// <param name="SubjectId">The dataset's, run's or budget's number, or the user's id.</param>
public sealed record AuditEntryResponse(long Id, DateTime At, string Actor, string? ActorId, AuditSubject Subject, AuditAction Action,
    string SubjectId, string? SubjectName, string? Detail);

/// <summary>One page of the audit log, newest first, and how many entries match in all.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Entries, int Total, int Offset, int Limit);

/// <summary>
/// The audit log: who created, cancelled or deleted which dataset, run, budget or account, changed a role, disabled or
/// enabled an account or issued a set-password link, and when. Each action's one home (<c>DatasetEndpoints</c>'
/// creation, <c>DatasetRemover</c>, <c>RunCreator</c>, <c>RunCanceller</c>, <c>RunRemover</c>, <c>BudgetService</c>,
/// <c>UserAdmin</c>) adds its entry with <see cref="Add"/> to its own database context and saves it in the action's
/// transaction, so an action without its entry cannot commit, and a failed write fails the action loudly. Admins read it
/// here (REST <c>/api/audit</c> and the audit page), a bounded page at a time.
/// </summary>
public sealed class AuditLog(IDbContextFactory<SemiCmrDb> dbFactory)
{
    public const int MaxLimit = 100;
    /// <summary>The name of an entry written by the app itself (the demo's dataset and run), not by a user.</summary>
    public const string AppActor = "(app)";
    /// <summary>The most user names <see cref="Actors"/> lists for the page's filter.</summary>
    public const int MaxActorsListed = 200;

    /// <summary>Adds an entry to <paramref name="db"/>; the caller's next SaveChanges writes it with the action.</summary>
    public static AuditEntry Add(SemiCmrDb db, Actor actor, AuditSubject subject, AuditAction action, string subjectId, string? subjectName = null,
        string? detail = null)
    {
        var entry = new AuditEntry
        {
            At = DateTime.UtcNow, ActorId = actor.UserId, ActorName = Cut(actor.Name ?? actor.UserId ?? AppActor, AuditEntry.MaxNameLength),
            Subject = subject, Action = action, SubjectId = subjectId, SubjectName = subjectName is null ? null : Cut(subjectName, AuditEntry.MaxNameLength),
            Detail = detail is null ? null : Cut(detail, AuditEntry.MaxDetailLength),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <inheritdoc cref="Add(SemiCmrDb, Actor, AuditSubject, AuditAction, string, string?, string?)"/>
    public static AuditEntry Add(SemiCmrDb db, Actor actor, AuditSubject subject, AuditAction action, int subjectId, string? subjectName = null,
        string? detail = null) =>
        Add(db, actor, subject, action, subjectId.ToString(CultureInfo.InvariantCulture), subjectName, detail);

    /// <summary>The REST list: <paramref name="query"/>'s kind and paging checked, then <see cref="Page"/>.</summary>
    public async Task<Outcome<AuditPage>> List(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        AuditSubject? kind = null;
        if (!string.IsNullOrEmpty(query.Kind))
        {
            if (Enum.TryParse<AuditSubject>(query.Kind, ignoreCase: true, out var parsed) && !int.TryParse(query.Kind, out _)) kind = parsed;
            else errors["kind"] = [$"Unknown kind '{Problems.Echo(query.Kind)}': use dataset, run, budget or user."];
        }
        AddPagingErrors(errors, query.Offset ?? 0, query.Limit ?? 50);
        if (errors.Count > 0) return new ServiceProblem(ProblemKind.Invalid, errors);
        return await Page(kind, query.User, query.Offset ?? 0, query.Limit ?? 50, cancellationToken);
    }

    /// <summary>
    /// Entries newest first, of one kind and by one user (their name as recorded) when given. Both filters and the
    /// order are index ranges (the key backwards, or (Subject, Id) / (ActorName, Id)), so a page stays cheap at any size.
    /// </summary>
    public async Task<Outcome<AuditPage>> Page(AuditSubject? kind, string? user, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        AddPagingErrors(errors, offset, limit);
        if (errors.Count > 0) return new ServiceProblem(ProblemKind.Invalid, errors);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        if (kind is { } subject) entries = entries.Where(e => e.Subject == subject);
        if (!string.IsNullOrEmpty(user)) entries = entries.Where(e => e.ActorName == user);
        int total = await entries.CountAsync(cancellationToken);
        var page = await entries.OrderByDescending(e => e.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        return new AuditPage([.. page.Select(e => new AuditEntryResponse(e.Id, e.At, e.ActorName, e.ActorId, e.Subject, e.Action, e.SubjectId, e.SubjectName, e.Detail))],
            total, offset, limit);
    }

    /// <summary>The user names the log holds entries of, for the page's filter (alphabetical, at most <see cref="MaxActorsListed"/>).</summary>
    public async Task<List<string>> Actors(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().Select(e => e.ActorName).Distinct().OrderBy(n => n).Take(MaxActorsListed).ToListAsync(cancellationToken);
    }

    private static void AddPagingErrors(Dictionary<string, string[]> errors, int offset, int limit)
    {
        if (offset < 0) errors["offset"] = ["offset must be 0 or more."];
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
