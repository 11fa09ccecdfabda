using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.RunReports;

/// <summary>One row of the runs table (and of its CSV export); <see cref="CreatedBy"/> is its owner's user id (the page shows the name).</summary>
public sealed record RunRow(
    int Id, int DatasetId, string DatasetName, Method Method, double LabelRatio, int Seed, RunStatus Status,
    double? MapI2T, double? MapT2I, double? Stage1Accuracy, int? Labeled, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt,
    string? CreatedBy = null)
{
    public double? MeanMap => MapI2T is { } a && MapT2I is { } b ? (a + b) / 2 : null;

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}

/// <summary>Filters of the runs table; null means any. Ratio matches to within half a percent point.</summary>
public sealed record RunFilter(int? DatasetId = null, Method? Method = null, double? Ratio = null, RunStatus? Status = null)
{
    /// <summary>The filters as the API takes them (?datasetId&amp;method&amp;ratio&amp;status, by name), for GET /api/runs and its CSV alike.</summary>
    public static Outcome<RunFilter> Parse(int? datasetId, string? method, double? ratio, string? status)
    {
        Method? parsedMethod = null;
        RunStatus? parsedStatus = null;
        if (!string.IsNullOrWhiteSpace(method))
        {
            try { parsedMethod = MethodNames.Parse(method); }
            catch (ArgumentException) { return ServiceProblem.Invalid("method", $"Unknown method '{Problems.Echo(method)}': use sscmr, supervised, full or cca."); }
        }
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                return ServiceProblem.Invalid("status", $"Unknown status '{Problems.Echo(status)}': use queued, running, succeeded, failed or cancelled.");
            parsedStatus = s;
        }
        return new RunFilter(datasetId, parsedMethod, ratio, parsedStatus);
    }
}

/// <summary>Sortable columns of the runs table (names match <see cref="RunRow"/> properties).</summary>
public static class RunSort
{
    public static readonly IReadOnlyList<string> Columns =
        [nameof(RunRow.Id), nameof(RunRow.DatasetName), nameof(RunRow.Method), nameof(RunRow.LabelRatio), nameof(RunRow.Status),
         nameof(RunRow.MapI2T), nameof(RunRow.MapT2I), nameof(RunRow.MeanMap), nameof(RunRow.CreatedAt)];

    /// <summary>?sortBy= of GET /api/runs: a column name in any case (labelRatio), or none for newest first.</summary>
    public static Outcome<string?> Parse(string? sortBy)
    {
        if (string.IsNullOrWhiteSpace(sortBy)) return (string?)null;
        return Columns.FirstOrDefault(c => c.Equals(sortBy, StringComparison.OrdinalIgnoreCase)) is { } column
            ? column
            : ServiceProblem.Invalid("sortBy", $"Unknown column '{Problems.Echo(sortBy)}': use {string.Join(", ", Columns.Select(c => char.ToLowerInvariant(c[0]) + c[1..]))}.");
    }
}

/// <summary>
/// Server-side filtering, sorting and paging of runs, in SQL: the one query behind every list of runs (the runs page,
/// its CSV export, GET /api/runs, the dashboard, the search page's run picker), so they show the same rows in the
/// same order. Newest first unless a column is chosen; a page holds at most <see cref="MaxRows"/> rows.
/// </summary>
public sealed class RunTable(IDbContextFactory<SemiCmrDb> dbFactory)
{
    public const int MaxRows = 10_000;

    public async Task<(IReadOnlyList<RunRow> Rows, int Total)> Query(RunFilter filter, string? sortBy, bool descending, int offset, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = Filtered(db, filter);
        int total = await runs.CountAsync(cancellationToken);
        var rows = await Page(runs, sortBy, descending, offset, limit).Select(Row).ToListAsync(cancellationToken);
        return (rows, total);
    }

    /// <summary>The same rows as <see cref="Query"/>, whole (what GET /api/runs answers and the dashboard's running card shows).</summary>
    public async Task<IReadOnlyList<Run>> Runs(RunFilter filter, string? sortBy, bool descending, int offset, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Page(Filtered(db, filter), sortBy, descending, offset, limit).ToListAsync(cancellationToken);
    }

    public async Task<int> Count(RunFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Filtered(db, filter).CountAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RunRow>> ByIds(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(Row).ToListAsync(cancellationToken);
        return rows.OrderBy(r => ids.ToList().IndexOf(r.Id)).ToList();
    }

    private static IQueryable<Run> Page(IQueryable<Run> runs, string? sortBy, bool descending, int offset, int limit) =>
        Sorted(runs, sortBy, descending).Skip(Math.Max(0, offset)).Take(Math.Clamp(limit, 1, MaxRows));

    private static IQueryable<Run> Filtered(SemiCmrDb db, RunFilter filter)
    {
        var runs = db.Runs.AsNoTracking();
        if (filter.DatasetId is { } datasetId) runs = runs.Where(r => r.DatasetId == datasetId);
        if (filter.Method is { } method) runs = runs.Where(r => r.Method == method);
        if (filter.Status is { } status) runs = runs.Where(r => r.Status == status);
        if (filter.Ratio is { } ratio) runs = runs.Where(r => r.LabelRatio >= ratio - 0.005 && r.LabelRatio <= ratio + 0.005);
        return runs;
    }

    private static IQueryable<Run> Sorted(IQueryable<Run> runs, string? sortBy, bool descending) => (sortBy, descending) switch
    {
        (nameof(RunRow.DatasetName), false) => runs.OrderBy(r => r.Dataset!.Name).ThenBy(r => r.Id),
        (nameof(RunRow.DatasetName), true) => runs.OrderByDescending(r => r.Dataset!.Name).ThenByDescending(r => r.Id),
        (nameof(RunRow.Method), false) => runs.OrderBy(r => r.Method).ThenBy(r => r.Id),
        (nameof(RunRow.Method), true) => runs.OrderByDescending(r => r.Method).ThenByDescending(r => r.Id),
        (nameof(RunRow.LabelRatio), false) => runs.OrderBy(r => r.LabelRatio).ThenBy(r => r.Id),
        (nameof(RunRow.LabelRatio), true) => runs.OrderByDescending(r => r.LabelRatio).ThenByDescending(r => r.Id),
        (nameof(RunRow.Status), false) => runs.OrderBy(r => r.Status).ThenBy(r => r.Id),
        (nameof(RunRow.Status), true) => runs.OrderByDescending(r => r.Status).ThenByDescending(r => r.Id),
        // Runs without a MAP (not finished, failed) come last either way: databases disagree on where NULL sorts.
        (nameof(RunRow.MapI2T), false) => runs.OrderBy(r => r.MapI2T == null).ThenBy(r => r.MapI2T).ThenBy(r => r.Id),
        (nameof(RunRow.MapI2T), true) => runs.OrderBy(r => r.MapI2T == null).ThenByDescending(r => r.MapI2T).ThenByDescending(r => r.Id),
        (nameof(RunRow.MapT2I), false) => runs.OrderBy(r => r.MapT2I == null).ThenBy(r => r.MapT2I).ThenBy(r => r.Id),
        (nameof(RunRow.MapT2I), true) => runs.OrderBy(r => r.MapT2I == null).ThenByDescending(r => r.MapT2I).ThenByDescending(r => r.Id),
        (nameof(RunRow.MeanMap), false) => runs.OrderBy(r => r.MapI2T + r.MapT2I == null).ThenBy(r => r.MapI2T + r.MapT2I).ThenBy(r => r.Id),
        (nameof(RunRow.MeanMap), true) => runs.OrderBy(r => r.MapI2T + r.MapT2I == null).ThenByDescending(r => r.MapI2T + r.MapT2I).ThenByDescending(r => r.Id),
        (nameof(RunRow.CreatedAt), false) => runs.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
        (_, false) when sortBy is not null => runs.OrderBy(r => r.Id),
        _ => runs.OrderByDescending(r => r.Id), // newest first when nothing is chosen
    };

    private static readonly System.Linq.Expressions.Expression<Func<Run, RunRow>> Row = r => new RunRow(
        r.Id, r.DatasetId, r.Dataset!.Name, r.Method, r.LabelRatio, r.Seed, r.Status, r.MapI2T, r.MapT2I, r.Stage1Accuracy, r.Labeled,
        r.CreatedAt, r.StartedAt, r.FinishedAt, r.CreatedBy);
}
