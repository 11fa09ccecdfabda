using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.RunReports;

namespace SemiCmr.Web.Runs;

public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs");
        group.MapPost("/", Create);
        group.MapGet("/", List);
        // A file result says nothing of itself to OpenAPI: its 200 is declared here.
        group.MapGet("/export.csv", RunCsvExport.Handle).Produces<string>(contentType: "text/csv");
        group.MapGet("/{id:int}", Get);
        group.MapGet("/{id:int}/report", Report);
        group.MapGet("/{id:int}/epochs", Epochs);
        group.MapPost("/{id:int}/cancel", Cancel);
        group.MapDelete("/{id:int}", Delete);
        return app;
    }

    private static async Task<Answer<Accepted<RunResponse>, Refused.Invalid, Refused.NotFound, Refused.Busy>> Create(
        CreateRunRequest request, RunCreator creator, CancellationToken cancellationToken) =>
        (await creator.Create(request, cancellationToken)).Map(run => TypedResults.Accepted($"/api/runs/{run.Id}", RunResponse.From(run)));

    private static async Task<Ok<List<RunResponse>>> List(int? datasetId, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking().Where(r => datasetId == null || r.DatasetId == datasetId)
            .OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(runs.Select(RunResponse.From).ToList());
    }

    private static async Task<Answer<Ok<RunResponse>, Refused.NotFound>> Get(int id, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? RunNotFound(id) : TypedResults.Ok(RunResponse.From(run));
    }

    private static async Task<Answer<Ok<List<EpochResponse>>, Refused.NotFound>> Epochs(int id, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)) return RunNotFound(id);
        var epochs = await db.EpochMetrics.AsNoTracking().Where(m => m.RunId == id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(epochs.Select(m => new EpochResponse(m.Stage, m.Epoch, m.Epochs, m.Losses, m.ValidationMap, m.At)).ToList());
    }

    /// <summary>The results a succeeded run's page shows (bounded: see <see cref="RunReportResponse"/>).</summary>
    private static async Task<Answer<Ok<RunReportResponse>, Refused.NotFound, Refused.Conflict, Refused.Failed>> Report(
        int id, RunReportService reports, CancellationToken cancellationToken) =>
        (await reports.Get(id, cancellationToken)).Map(report => TypedResults.Ok(RunReportResponse.From(id, report)));

    /// <summary>Removes the run's folder, then its rows; a queued run is cancelled first, a running one is refused.</summary>
    private static async Task<Answer<NoContent, Refused.NotFound, Refused.Conflict, Refused.Failed>> Delete(
        int id, RunRemover remover, CancellationToken cancellationToken) =>
        await remover.Delete(id, cancellationToken) is { } problem ? problem : TypedResults.NoContent();

    /// <summary>A queued run is cancelled at once; a running one is told to stop and ends within one epoch (batch, in fact).</summary>
    private static async Task<Answer<Accepted<RunResponse>, Refused.NotFound, Refused.Conflict>> Cancel(
        int id, RunCanceller canceller, CancellationToken cancellationToken) =>
        (await canceller.Cancel(id, cancellationToken)).Map(run => TypedResults.Accepted($"/api/runs/{id}", RunResponse.From(run)));

    private static ServiceProblem RunNotFound(int id) => ServiceProblem.NotFound("id", $"Run {id}");
}
