using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

/// <summary>Which datasets a list shows; null means any.</summary>
public sealed record DatasetFilter(DatasetStatus? Status = null)
{
    /// <summary>The filter of GET /api/datasets?status=: a status by name (importing, ready, failed), or none.</summary>
    public static Outcome<DatasetFilter> Parse(string? status)
    {
        if (string.IsNullOrWhiteSpace(status)) return new DatasetFilter();
        // Names only: Enum.TryParse would also take "1" or "7".
        if (!int.TryParse(status, out _) && Enum.TryParse<DatasetStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            return new DatasetFilter(parsed);
        return ServiceProblem.Invalid("status", $"Unknown status '{Problems.Echo(status)}': use importing, ready or failed.");
    }
}

/// <summary>
/// Reading datasets: the one query behind every list of datasets (GET /api/datasets, the datasets page, the dashboard,
/// the run pages' pickers) and behind a dataset's own page and GET /api/datasets/{id}, so a page and the API show
/// the same rows in the same order. Lists are newest first.
/// </summary>
public sealed class DatasetQueries(IDbContextFactory<SemiCmrDb> dbFactory)
{
    public async Task<IReadOnlyList<Dataset>> List(DatasetFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var datasets = db.Datasets.AsNoTracking();
        if (filter.Status is { } status) datasets = datasets.Where(d => d.Status == status);
        return await datasets.OrderByDescending(d => d.Id).ToListAsync(cancellationToken);
    }

    public async Task<Outcome<Dataset>> Get(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return dataset is null ? ServiceProblem.NotFound("id", $"Dataset {id}") : dataset;
    }
}
