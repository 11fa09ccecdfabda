using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Search.Pgvector;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Search;

/// <summary>
/// GET /api/runs/{id}/search/index: how the run's searches are answered. Kind is "exact" or "approximate" (HNSW);
/// while the HNSW index builds, Building is true, Progress its share done (0-1), and searches are exact.
/// </summary>
public sealed record SearchIndexStatus(string Kind, int Items, bool Building, double? Progress, string? Error)
{
    /// <summary>This status moved on by a build's event: what <see cref="SearchIndexStatusReader"/> would read right after it.</summary>
    public SearchIndexStatus After(IndexBuildEvent build) => build switch
    {
        { IsFinal: true, Error: null } => this with { Kind = "approximate", Building = false, Progress = 1, Error = null },
        { IsFinal: true } => this with { Kind = "exact", Building = false, Progress = build.Progress, Error = build.Error },
        _ => this with { Kind = "exact", Building = true, Progress = build.Progress, Error = null },
    };
}

/// <summary>Reads a run's <see cref="SearchIndexStatus"/> for the API and the search page.</summary>
public sealed class SearchIndexStatusReader(IDbContextFactory<SemiCmrDb> dbFactory, ApproximateIndexes approximate, RunVectorStore vectors)
{
    public async Task<Outcome<SearchIndexStatus>> Read(int runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Status, Items = r.Dataset!.ItemCount })
            .FirstOrDefaultAsync(cancellationToken);
        if (run is null) return ServiceProblem.NotFound("id", $"Run {runId}");
        if (run.Status != RunStatus.Succeeded)
            return ServiceProblem.Conflict("id", $"Run {runId} is {RunProgressEvent.Name(run.Status)}: only a succeeded run has a search index.");

        if (!approximate.Wanted(run.Items)) return new SearchIndexStatus("exact", run.Items, false, null, null);
        if (vectors.InUse)
            // Built before the run succeeded (RunVectorWriter): there or not, never under way for a succeeded run.
            return await Indexed(runId, cancellationToken)
                ? new SearchIndexStatus("approximate", run.Items, false, 1, null)
                : new SearchIndexStatus("exact", run.Items, false, 0, null);
        if (approximate.BuildOf(runId) is { } build)
            return new SearchIndexStatus("exact", run.Items, build.Running, build.Progress, build.Error);
        return approximate.Saved(runId)
            ? new SearchIndexStatus("approximate", run.Items, false, 1, null)
            // Not built yet: the first search (or the end of the run) starts the build.
            : new SearchIndexStatus("exact", run.Items, false, 0, null);
    }

    private async Task<bool> Indexed(int runId, CancellationToken cancellationToken)
    {
        await using var connection = await vectors.DataSource.OpenConnectionAsync(cancellationToken);
        return await VectorIndexBuild.Exists(connection, RunVectorStore.Table, runId, VectorTable.Images, cancellationToken)
            && await VectorIndexBuild.Exists(connection, RunVectorStore.Table, runId, VectorTable.Texts, cancellationToken);
    }
}
