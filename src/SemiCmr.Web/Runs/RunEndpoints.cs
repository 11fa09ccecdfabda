using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SemiCmr.Web.Api;
using SemiCmr.Web.Auth;
using SemiCmr.Web.RunReports;

namespace SemiCmr.Web.Runs;

public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs").RequireAuthorization(Policies.ViewerOrAbove);
        group.MapPost("/", Create).RequireAuthorization(Policies.EditorOrAbove);
        group.MapGet("/", List);
        // A file result says nothing of itself to OpenAPI: its 200 is declared here.
        group.MapGet("/export.csv", RunCsvExport.Handle).Produces<string>(contentType: "text/csv");
        group.MapGet("/{id:int}", Get);
        group.MapGet("/{id:int}/report", Report);
        group.MapGet("/{id:int}/epochs", Epochs);
        // Editors cancel and delete their own runs, admins any (RunCanceller and RunRemover ask Actor.MayChange).
        group.MapPost("/{id:int}/cancel", Cancel).RequireAuthorization(Policies.EditorOrAbove);
        group.MapDelete("/{id:int}", Delete).RequireAuthorization(Policies.EditorOrAbove);
        return app;
    }

    private static async Task<Answer<Accepted<RunResponse>, Refused.Invalid, Refused.NotFound, Refused.Busy>> Create(
        CreateRunRequest request, RunCreator creator, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await creator.Create(request, Actor.From(user), cancellationToken)).Map(run => TypedResults.Accepted($"/api/runs/{run.Id}", RunResponse.From(run)));

    /// <summary>
    /// The rows of the runs page, whole: the same filters (?datasetId&amp;method&amp;ratio&amp;status) and order (newest first,
    /// or ?sortBy= a column, ascending unless ?descending=true), at most <see cref="RunTable.MaxRows"/> runs.
    /// </summary>
    private static async Task<Answer<Ok<List<RunResponse>>, Refused.Invalid>> List(int? datasetId, string? method, double? ratio, string? status,
        string? sortBy, bool? descending, RunTable table, CancellationToken cancellationToken)
    {
        var filter = RunFilter.Parse(datasetId, method, ratio, status);
        if (filter.Problem is { } invalid) return invalid;
        var sort = RunSort.Parse(sortBy);
        if (sort.Problem is { } unknown) return unknown;
        var runs = await table.Runs(filter.Value!, sort.Value, descending ?? sort.Value is null, 0, RunTable.MaxRows, cancellationToken);
        return TypedResults.Ok(runs.Select(RunResponse.From).ToList());
    }

    private static async Task<Answer<Ok<RunResponse>, Refused.NotFound>> Get(int id, RunQueries runs, CancellationToken cancellationToken) =>
        (await runs.Get(id, cancellationToken)).Map(run => TypedResults.Ok(RunResponse.From(run)));

    private static async Task<Answer<Ok<List<EpochResponse>>, Refused.NotFound>> Epochs(int id, RunQueries runs, CancellationToken cancellationToken) =>
        (await runs.Epochs(id, cancellationToken)).Map(epochs =>
            TypedResults.Ok(epochs.Select(m => new EpochResponse(m.Stage, m.Epoch, m.Epochs, m.Losses, m.ValidationMap, m.At)).ToList()));

    /// <summary>The results a succeeded run's page shows (bounded: see <see cref="RunReportResponse"/>).</summary>
    private static async Task<Answer<Ok<RunReportResponse>, Refused.NotFound, Refused.Conflict, Refused.Failed>> Report(
        int id, RunReportService reports, CancellationToken cancellationToken) =>
        (await reports.Get(id, cancellationToken)).Map(report => TypedResults.Ok(RunReportResponse.From(id, report)));

    /// <summary>Removes the run's folder, then its rows; a queued run is cancelled first, a running one is refused.</summary>
    private static async Task<Answer<NoContent, Refused.NotFound, Refused.Conflict, Refused.Failed, Refused.Forbidden>> Delete(
        int id, RunRemover remover, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await remover.Delete(id, Actor.From(user), cancellationToken) is { } problem ? problem : TypedResults.NoContent();

    /// <summary>A queued run is cancelled at once; a running one is told to stop and ends within one epoch (batch, in fact).</summary>
    private static async Task<Answer<Accepted<RunResponse>, Refused.NotFound, Refused.Conflict, Refused.Forbidden>> Cancel(
        int id, RunCanceller canceller, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await canceller.Cancel(id, Actor.From(user), cancellationToken)).Map(run => TypedResults.Accepted($"/api/runs/{id}", RunResponse.From(run)));
}
