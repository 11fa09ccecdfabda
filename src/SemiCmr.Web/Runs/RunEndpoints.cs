using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Runs;

public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs");
        group.MapPost("/", Create).Produces<RunResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", List);
        group.MapGet("/{id:int}", Get).ProducesValidationProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}/epochs", Epochs).ProducesValidationProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/cancel", Cancel).Produces<RunResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem(StatusCodes.Status404NotFound).ProducesValidationProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> Create(CreateRunRequest request, IDbContextFactory<SemiCmrDb> dbFactory, RunQueue queue, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (request.DatasetId is not { } datasetId) return Problems.Field("datasetId", "A datasetId is required.");
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        if (dataset is null) return Problems.NotFound("datasetId", $"Dataset {datasetId}");

        var errors = new Dictionary<string, string[]>();
        if (dataset.Status != DatasetStatus.Ready)
            errors["datasetId"] = [$"Dataset {datasetId} is {RunProgressEvent.Name(dataset.Status)}, not ready: only imported datasets can be trained on."];
        Method method = default;
        try { method = MethodNames.Parse(request.Method ?? ""); }
        catch (ArgumentException e) { errors["method"] = [e.Message]; }

        double ratio = request.LabelRatio ?? double.NaN;
        Data.LabelBudget? budget = null;
        if (request.BudgetId is { } budgetId)
        {
            budget = await db.Budgets.AsNoTracking().FirstOrDefaultAsync(b => b.Id == budgetId && b.DatasetId == datasetId, cancellationToken);
            if (budget is null) return Problems.NotFound("budgetId", $"Label budget {budgetId} of dataset {datasetId}");
            if (request.LabelRatio is null) ratio = budget.Ratio ?? (double)budget.LabeledRows.Count / Math.Max(1, dataset.ItemCount);
        }
        if (!(ratio > 0 && ratio <= 1))
            errors["labelRatio"] = [request.LabelRatio is null ? "A labelRatio in (0, 1] is required." : $"labelRatio must be in (0, 1]; got {request.LabelRatio}."];

        var options = request.Options ?? TrainingOptions.Default;
        foreach (var (option, message) in options.Validate())
            errors["options." + JsonNamingPolicy.CamelCase.ConvertName(option)] = [message];
        if (errors.Count > 0) return Problems.Fields(errors);

        var run = new Run
        {
            DatasetId = datasetId, BudgetId = budget?.Id, Method = method, LabelRatio = ratio, Seed = request.Seed ?? 0,
            OptionsJson = RunJson.Serialize(options), Status = RunStatus.Queued, CreatedAt = DateTime.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        if (!queue.TryEnqueue(run.Id))
        {
            await db.Runs.Where(r => r.Id == run.Id).ExecuteDeleteAsync(cancellationToken);
            return TypedResults.Problem($"{RunQueue.Capacity} runs are already waiting; try again later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return TypedResults.Accepted($"/api/runs/{run.Id}", RunResponse.From(run));
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
        return TypedResults.Ok(epochs.Select(m => new EpochResponse(m.Stage, m.Epoch, m.Epochs, m.Losses, m.ValidationMap,
            DateTime.SpecifyKind(m.At, DateTimeKind.Utc))).ToList());
    }

    /// <summary>A queued run is cancelled at once; a running one is told to stop and ends within one epoch (batch, in fact).</summary>
    private static async Task<IResult> Cancel(int id, IDbContextFactory<SemiCmrDb> dbFactory, RunCancellations cancellations,
        RunProgressBroadcaster broadcaster, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return Problems.NotFound("id", $"Run {id}");
        if (RunProgressEvent.IsTerminal(run.Status))
            return Problems.Conflict("id", $"Run {id} has already {RunProgressEvent.Name(run.Status)}; there is nothing to cancel.");

        int cancelledQueued = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, DateTime.UtcNow), cancellationToken);
        if (cancelledQueued == 0) cancellations.Cancel(id);
        run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken);
        if (cancelledQueued == 1) broadcaster.Publish(RunProgressEvent.FromRow(run));
        return TypedResults.Accepted($"/api/runs/{id}", RunResponse.From(run));
    }
}
