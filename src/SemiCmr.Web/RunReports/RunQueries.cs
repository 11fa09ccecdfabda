using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.RunReports;

/// <summary>
/// Reading one run: the row with its dataset, and its epoch history in the order it was written. The run page and
/// GET /api/runs/{id} and /epochs read through here; lists of runs go through <see cref="RunTable"/>.
/// </summary>
public sealed class RunQueries(IDbContextFactory<SemiCmrDb> dbFactory)
{
    public async Task<Outcome<Run>> Get(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Dataset).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? NotFound(id) : run;
    }

    public async Task<Outcome<IReadOnlyList<EpochMetric>>> Epochs(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)) return NotFound(id);
        return await db.EpochMetrics.AsNoTracking().Where(m => m.RunId == id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
    }

    private static ServiceProblem NotFound(int id) => ServiceProblem.NotFound("id", $"Run {id}");
}
