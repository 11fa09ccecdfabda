using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Runs;

/// <summary>
/// Validates and queues a run: the one code path behind POST /api/runs and the new-run page. A refusal names its
/// fields in camelCase ("options.alpha" for options): invalid, an unknown dataset or budget, or a full queue (busy).
/// </summary>
public sealed class RunCreator(IDbContextFactory<SemiCmrDb> dbFactory, RunQueue queue, RunLimits limits, IOptions<DatabaseOptions> database)
{
    /// <summary>The queued run, owned by <paramref name="actor"/> (who alone, besides admins, may cancel or delete it), or why not.</summary>
    public async Task<Outcome<Run>> Create(CreateRunRequest request, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (request.DatasetId is not { } datasetId) return ServiceProblem.Invalid("datasetId", "A datasetId is required.");
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        if (dataset is null) return ServiceProblem.NotFound("datasetId", $"Dataset {datasetId}");

        var errors = new Dictionary<string, string[]>();
        if (dataset.Status != DatasetStatus.Ready)
            errors["datasetId"] = [$"Dataset {datasetId} is {RunProgressEvent.Name(dataset.Status)}, not ready: only imported datasets can be trained on."];
        Method method = default;
        try { method = MethodNames.Parse(request.Method ?? ""); }
        catch (ArgumentException) { errors["method"] = [$"Unknown method '{Problems.Echo(request.Method)}': use sscmr, supervised, full or cca."]; }

        double ratio = request.LabelRatio ?? double.NaN;
        Data.LabelBudget? budget = null;
        if (request.BudgetId is { } budgetId)
        {
            budget = await db.Budgets.AsNoTracking().FirstOrDefaultAsync(b => b.Id == budgetId && b.DatasetId == datasetId, cancellationToken);
            if (budget is null) return ServiceProblem.NotFound("budgetId", $"Label budget {budgetId} of dataset {datasetId}");
            if (request.LabelRatio is null) ratio = budget.Ratio ?? await HandPickedRatio(db, budget, cancellationToken);
        }
        if (budget is not null && request.LabelRatio is null && ratio == 0)
            errors["budgetId"] = [$"Label budget {budget.Id} marks no labeled training item."];
        else if (!(ratio > 0 && ratio <= 1))
            errors["labelRatio"] = [request.LabelRatio is null ? "A labelRatio in (0, 1] is required." : $"labelRatio must be in (0, 1]; got {request.LabelRatio}."];

        var options = request.Options ?? TrainingOptions.Default;
        foreach (var (option, problem) in options.Validate())
            errors[OptionKey(option)] = [$"{option.Key} {problem}"];
        if (dataset.Status == DatasetStatus.Ready && !errors.ContainsKey("method"))
        {
            foreach (var (key, messages) in await LabelProblems(db, dataset, method, cancellationToken)) AddErrors(errors, key, messages);
            if (errors.Keys.All(k => !k.StartsWith("options.", StringComparison.Ordinal)))
            {
                int train = await db.Items.CountAsync(i => i.DatasetId == datasetId && i.Split == Split.Train, cancellationToken);
                var shape = new RunShape(dataset.ImageDim, dataset.TextDim, dataset.Classes.Count, dataset.ItemCount, train);
                foreach (var (key, messages) in limits.Check(shape, method, options)) AddErrors(errors, key, messages);
            }
        }
        if (errors.Count > 0) return new ServiceProblem(ProblemKind.Invalid, errors);

        var run = new Run
        {
            DatasetId = datasetId, BudgetId = budget?.Id, Method = method, LabelRatio = ratio, Seed = request.Seed ?? 0,
            OptionsJson = RunJson.Serialize(options), Status = RunStatus.Queued, CreatedAt = DateTime.UtcNow, CreatedBy = actor.UserId,
        };
        // The run and its audit entry commit together, before the worker can see the run's id.
        AuditEntry entry;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            entry = AuditLog.Add(db, actor, AuditSubject.Run, AuditAction.Created, run.Id, dataset.Name,
                string.Create(CultureInfo.InvariantCulture, $"{method.ToName()}, {ratio * 100:0.#}% labeled{(budget is null ? "" : $" (budget {budget.Id})")}"));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // On PostgreSQL the committed row is the queue entry: workers claim it from the database (RunLeases).
        if (!database.Value.IsPostgres && !queue.TryEnqueue(run.Id))
        {
            // Never queued, so never created: neither the row nor its entry stays.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Runs.Where(r => r.Id == run.Id).ExecuteDeleteAsync(cancellationToken);
            await db.AuditEntries.Where(e => e.Id == entry.Id).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return ServiceProblem.Field(ProblemKind.Busy, "queue", $"{RunQueue.Capacity} runs are already waiting; try again later.");
        }
        return run;
    }

    /// <summary>
    /// A hand-picked budget's ratio in LabelBudget's sense: labeled items over candidates (train items with labels,
    /// per the database, the truth once items are annotated), not over the whole dataset.
    /// </summary>
    private static async Task<double> HandPickedRatio(SemiCmrDb db, Data.LabelBudget budget, CancellationToken cancellationToken)
    {
        var candidates = (await db.Items.AsNoTracking()
            .Where(i => i.DatasetId == budget.DatasetId && i.Split == Split.Train).Where(ItemLabelStore.IsLabeled())
            .Select(i => i.Row).ToListAsync(cancellationToken)).ToHashSet();
        return (double)budget.LabeledRows.Count(candidates.Contains) / Math.Max(1, candidates.Count);
    }

    /// <summary>
    /// Runs that could only fail at training: every method is evaluated on labeled test items, and every method but cca
    /// learns from labeled training items.
    /// </summary>
    private static async Task<Dictionary<string, string[]>> LabelProblems(SemiCmrDb db, Dataset dataset, Method method, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var labeled = db.Items.Where(i => i.DatasetId == dataset.Id).Where(ItemLabelStore.IsLabeled());
        if (!await labeled.AnyAsync(i => i.Split == Split.Test, cancellationToken))
            errors["datasetId"] = [$"Dataset {dataset.Id} has no labeled test items, so no run on it can be evaluated: label some test items first."];
        if (method != Method.Cca && !await labeled.AnyAsync(i => i.Split == Split.Train, cancellationToken))
            AddErrors(errors, "datasetId", [$"Dataset {dataset.Id} has no labeled training items: method {method.ToName()} learns from labels (only cca trains without them)."]);
        return errors;
    }

    private static void AddErrors(Dictionary<string, string[]> errors, string key, string[] messages) =>
        errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, .. messages] : messages;

    /// <summary>The error key of a training option, e.g. "options.alpha".</summary>
    public static string OptionKey(TrainingOption option) => "options." + option.Key;
}
