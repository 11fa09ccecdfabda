using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;
using SemiCmr.Web.RunReports;

namespace SemiCmr.Web.Runs;

public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs");
        group.MapPost("/", Create).Produces<RunResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", List);
        group.MapGet("/export.csv", RunCsvExport.Handle).Produces<string>(contentType: "text/csv");
        group.MapGet("/{id:int}", Get).ProducesValidationProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}/report", Report).Produces<RunReportResponse>()
            .ProducesValidationProblem(StatusCodes.Status404NotFound).ProducesValidationProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:int}/epochs", Epochs).ProducesValidationProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/cancel", Cancel).Produces<RunResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem(StatusCodes.Status404NotFound).ProducesValidationProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:int}", Delete).Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem(StatusCodes.Status404NotFound).ProducesValidationProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        return app;
    }

    private static async Task<IResult> Create(CreateRunRequest request, RunCreator creator, CancellationToken cancellationToken)
    {
        var (run, error) = await creator.Create(request, cancellationToken);
        if (run is not null) return TypedResults.Accepted($"/api/runs/{run.Id}", RunResponse.From(run));
        return error!.Status == StatusCodes.Status503ServiceUnavailable
            ? TypedResults.Problem(error.Message, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Problems.Fields(error.Errors.ToDictionary(), error.Status);
    }

    private static async Task<IResult> List(int? datasetId, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking().Where(r => datasetId == null || r.DatasetId == datasetId)
            .OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(runs.Select(RunResponse.From).ToList());
    }

    private static async Task<IResult> Get(int id, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? Problems.NotFound("id", $"Run {id}") : TypedResults.Ok(RunResponse.From(run));
    }

    private static async Task<IResult> Epochs(int id, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)) return Problems.NotFound("id", $"Run {id}");
        var epochs = await db.EpochMetrics.AsNoTracking().Where(m => m.RunId == id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(epochs.Select(m => new EpochResponse(m.Stage, m.Epoch, m.Epochs, m.Losses, m.ValidationMap, m.At)).ToList());
    }

    /// <summary>The results a succeeded run's page shows (bounded: see <see cref="RunReportResponse"/>).</summary>
    private static async Task<IResult> Report(int id, IDbContextFactory<SemiCmrDb> dbFactory, RunReportService reports, ILogger<RunReportService> logger, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return Problems.NotFound("id", $"Run {id}");
        if (run.Status != RunStatus.Succeeded)
            return Problems.Conflict("id", $"Run {id} is {RunProgressEvent.Name(run.Status)}: only a succeeded run has results.");
        try
        {
            return TypedResults.Ok(RunReportResponse.From(id, await reports.Get(id)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
        {
            // The reason names files of the server: logged, not answered.
            logger.LogWarning(e, "The results of run {RunId} could not be read", id);
            return TypedResults.Problem($"The results of run {id} could not be read.", statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>Removes the run's folder, then its rows; a queued run is cancelled first, a running one is refused.</summary>
    private static async Task<IResult> Delete(int id, RunRemover remover, CancellationToken cancellationToken) =>
        await remover.Delete(id, cancellationToken) switch
        {
            DeleteRunOutcome.NotFound => Problems.NotFound("id", $"Run {id}"),
            DeleteRunOutcome.Running => Problems.Conflict("id", $"Run {id} is training; cancel it and wait for it to stop before deleting it."),
            DeleteRunOutcome.FilesKept => TypedResults.Problem($"The files of run {id} could not be removed, so the run was kept; try again later.",
                statusCode: StatusCodes.Status500InternalServerError, title: "The run's files could not be removed"),
            _ => TypedResults.NoContent(),
        };

    /// <summary>A queued run is cancelled at once; a running one is told to stop and ends within one epoch (batch, in fact).</summary>
    private static async Task<IResult> Cancel(int id, RunCanceller canceller, CancellationToken cancellationToken)
    {
        var (outcome, run) = await canceller.Cancel(id, cancellationToken);
        return outcome switch
        {
            CancelOutcome.NotFound => Problems.NotFound("id", $"Run {id}"),
            CancelOutcome.AlreadyFinished => Problems.Conflict("id", $"Run {id} has already {RunProgressEvent.Name(run!.Status)}; there is nothing to cancel."),
            _ => TypedResults.Accepted($"/api/runs/{id}", RunResponse.From(run!)),
        };
    }
}
