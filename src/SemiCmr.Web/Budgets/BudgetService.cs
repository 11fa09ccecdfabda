using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Budget;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using MlBudget = SemiCmr.Ml.Budget.LabelBudget;

namespace SemiCmr.Web.Budgets;

/// <summary>
/// Label budgets of a dataset (which train items show their labels) and annotation of items. Shared by the REST
/// endpoints and the pages. Counts are computed from the database's labels, the truth once items are annotated.
/// An annotation drops what the cache made from the dataset's labels (search indexes' label filters, reports' counts of
/// labels changed since a run); nothing cached is made from budgets, so changing one drops nothing.
/// </summary>
public sealed class BudgetService(IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, ResourceCache cache)
{
    public async Task<Outcome<List<BudgetSummary>>> List(int datasetId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindReady(db, datasetId, cancellationToken) is { Problem: { } problem }) return problem;
        // Counts only: the candidates' rows, not every item's labels (a preview's classes need those).
        using var candidates = await BudgetCandidates.Lease(cache, dbFactory, datasetId, cancellationToken);
        var budgets = await db.Budgets.AsNoTracking().Where(b => b.DatasetId == datasetId).OrderByDescending(b => b.Id).ToListAsync(cancellationToken);
        return budgets.Select(b => new BudgetSummary(b.Id, b.DatasetId, b.Kind, b.Ratio, b.Seed,
            candidates.Value.CountAmong(b.LabeledRows), candidates.Value.Count, b.CreatedAt)).ToList();
    }

    /// <summary>The stratified count per class that <see cref="Create"/> would save for this ratio and seed.</summary>
    public async Task<Outcome<BudgetPreview>> Preview(int datasetId, double ratio, int seed, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loaded = await LoadDataset(db, datasetId, cancellationToken);
        if (loaded.Problem is { } problem) return problem;
        var chosen = Choose(loaded.Value!, ratio, seed);
        if (chosen.Problem is { } refused) return refused;
        return MlBudget.Preview(loaded.Value!, chosen.Value!);
    }

    /// <summary>A new ratio budget, with its audit entry (by <paramref name="actor"/>) in the same transaction.</summary>
    public async Task<Outcome<BudgetResponse>> Create(int datasetId, double ratio, int seed, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loaded = await LoadDataset(db, datasetId, cancellationToken);
        if (loaded.Problem is { } problem) return problem;
        var dataset = loaded.Value!;
        var chosen = Choose(dataset, ratio, seed);
        if (chosen.Problem is { } refused) return refused;
        var budget = new Data.LabelBudget
        {
            DatasetId = datasetId, Kind = BudgetKind.Ratio, Ratio = ratio, Seed = seed,
            LabeledRows = chosen.Value!.ToList(), CreatedAt = DateTime.UtcNow,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Budgets.Add(budget);
        await db.SaveChangesAsync(cancellationToken);
        string? datasetName = await db.Datasets.Where(d => d.Id == datasetId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
        AuditLog.Add(db, actor, AuditSubject.Budget, AuditAction.Created, budget.Id, datasetName,
            string.Create(CultureInfo.InvariantCulture, $"{ratio * 100:0.#}% of the labeled train items, seed {seed}"));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Describe(budget, dataset);
    }

    public async Task<Outcome<BudgetResponse>> Get(int budgetId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindBudget(db, budgetId, cancellationToken) is not { } budget) return BudgetNotFound(budgetId);
        var loaded = await LoadDataset(db, budget.DatasetId, cancellationToken);
        return loaded.Problem is { } problem ? problem : Describe(budget, loaded.Value!);
    }

    /// <summary>Marks or unmarks one train item as labeled; the budget becomes <see cref="BudgetKind.Manual"/>.</summary>
    public async Task<Outcome<BudgetResponse>> SetLabeled(int budgetId, int row, bool labeled, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindBudget(db, budgetId, cancellationToken) is not { } budget) return BudgetNotFound(budgetId);
        var loaded = await LoadDataset(db, budget.DatasetId, cancellationToken);
        if (loaded.Problem is { } problem) return problem;
        var dataset = loaded.Value!;
        if (row < 0 || row >= dataset.Items.Count) return ServiceProblem.NotFound("row", $"Item {row} of dataset {budget.DatasetId}");
        var item = dataset.Items[row];
        if (labeled && item.Split != Split.Train)
            return ServiceProblem.Invalid("row", $"Item {item.Id} is a {item.Split.ToString().ToLowerInvariant()} item: only train items can show their labels.");
        if (labeled && !item.HasLabels) return ServiceProblem.Invalid("row", $"Item {item.Id} has no labels yet: annotate it first.");

        var rows = new SortedSet<int>(budget.LabeledRows);
        bool changed = labeled ? rows.Add(row) : rows.Remove(row);
        if (changed)
        {
            budget.LabeledRows = [.. rows];
            budget.Kind = BudgetKind.Manual;
            budget.Ratio = null;
            budget.Count = rows.Count;
            await db.SaveChangesAsync(cancellationToken);
        }
        return Describe(budget, dataset);
    }

    /// <summary>Assigns labels (class names) to an item; an empty list makes it unlabeled.</summary>
    public async Task<Outcome<ItemLabelsResponse>> SetLabels(int datasetId, int row, IReadOnlyList<string> labels, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        if (dataset is null) return ServiceProblem.NotFound("id", $"Dataset {datasetId}");
        var item = await db.Items.FirstOrDefaultAsync(i => i.DatasetId == datasetId && i.Row == row, cancellationToken);
        if (item is null) return ServiceProblem.NotFound("row", $"Item {row} of dataset {datasetId}");
        var unknown = labels.Where(l => !dataset.Classes.Contains(l)).ToList();
        if (unknown.Count > 0)
            return ServiceProblem.Invalid("labels",
                $"Unknown label{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}: the classes are {string.Join(", ", dataset.Classes)}.");
        var indices = labels.Distinct().Select(l => dataset.Classes.IndexOf(l)).Order().ToList();
        if (!dataset.IsMultiLabel && indices.Count > 1)
            return ServiceProblem.Invalid("labels", $"Dataset {dataset.Name} is single-label: give one label (or none).");
        await ItemLabelStore.Replace(db, item, indices, cancellationToken);
        cache.Invalidate(CacheTag.Labels(datasetId));
        return new ItemLabelsResponse(item.Row, item.ExternalId, [.. indices.Select(i => dataset.Classes[i])]);
    }

    /// <summary>
    /// Unlabeled train items (not shown by the budget) ordered by the confidence of their stage-1 prediction in a
    /// run of the dataset, least confident first: the given run, or the latest succeeded run that has predictions.
    /// </summary>
    public async Task<Outcome<SuggestionsResponse>> Suggest(int datasetId, int budgetId, int? runId, int count, CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > 1000) return ServiceProblem.Invalid("count", "count must be between 1 and 1000.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindBudget(db, budgetId, cancellationToken) is not { } budget) return BudgetNotFound(budgetId);
        if (budget.DatasetId != datasetId) return ServiceProblem.NotFound("budgetId", $"Label budget {budgetId} of dataset {datasetId}");
        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == datasetId, cancellationToken);

        // Every run writes a predictions file, but only sscmr's stage 1 fills it: a newer cca run must not hide it.
        var runs = db.Runs.AsNoTracking().Where(r => r.DatasetId == datasetId && r.Status == RunStatus.Succeeded && r.Method == Method.Sscmr);
        if (runId is { } id) runs = runs.Where(r => r.Id == id);
        var candidates = await runs.OrderByDescending(r => r.Id).ToListAsync(cancellationToken);
        var run = candidates.FirstOrDefault(r => File.Exists(Path.Combine(paths.Run(r.Id), ModelFiles.Predictions)));
        if (run is null)
            return ServiceProblem.Field(ProblemKind.NotFound, "runId", runId is { } missing
                ? $"Run {missing} of dataset {datasetId} has not succeeded or has no stage-1 predictions (only sscmr runs predict labels)."
                : $"No succeeded sscmr run of dataset {datasetId} has stage-1 predictions yet: train one first.");

        var predictions = ModelFiles.ReadJson<List<LabelPrediction>>(Path.Combine(paths.Run(run.Id), ModelFiles.Predictions));
        var shown = budget.LabeledRows.ToHashSet();
        var chosen = predictions.Where(p => !shown.Contains(p.Row)).OrderBy(p => p.Confidence).ThenBy(p => p.Row).Take(count).ToList();
        var chosenRows = chosen.Select(p => p.Row).ToList();
        var items = await db.Items.AsNoTracking().Where(i => i.DatasetId == datasetId && chosenRows.Contains(i.Row))
            .ToDictionaryAsync(i => i.Row, cancellationToken);
        var suggestions = chosen.Where(p => items.ContainsKey(p.Row) && items[p.Row].Split == Split.Train).Select(p => new LabelSuggestion(
            p.Row, items[p.Row].ExternalId, [.. p.Labels.Select(l => l < dataset.Classes.Count ? dataset.Classes[l] : l.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            p.Confidence, items[p.Row].Text)).ToList();
        return new SuggestionsResponse(run.Id, suggestions);
    }

    private static Outcome<List<int>> Choose(FeatureDataset dataset, double ratio, int seed)
    {
        if (!(ratio > 0 && ratio <= 1)) return ServiceProblem.Invalid("ratio", $"The ratio must be greater than 0 and at most 1; got {ratio}.");
        if (MlBudget.Candidates(dataset).Length == 0)
            return ServiceProblem.Invalid("ratio", "The dataset has no train items with labels, so no labels can be shown.");
        return MlBudget.ByRatio(dataset, ratio, seed).ToList();
    }

    private static Task<Data.LabelBudget?> FindBudget(SemiCmrDb db, int budgetId, CancellationToken cancellationToken) =>
        db.Budgets.FirstOrDefaultAsync(b => b.Id == budgetId, cancellationToken);

    private static ServiceProblem BudgetNotFound(int budgetId) => ServiceProblem.NotFound("id", $"Label budget {budgetId}");

    /// <summary>
    /// The dataset's items and labels as budgets see them (no features). Read once and kept in the cache until the
    /// dataset's labels change: at a million items the read takes two seconds, and every preview and budget read needs it.
    /// </summary>
    private async Task<Outcome<FeatureDataset>> LoadDataset(SemiCmrDb db, int datasetId, CancellationToken cancellationToken)
    {
        var found = await FindReady(db, datasetId, cancellationToken);
        if (found.Problem is { } problem) return problem;
        var dataset = found.Value!;
        // Nothing to dispose in the view: the lease only has to cover the load.
        using var view = await cache.Lease(datasetId, () => LoadView(datasetId, dataset.Classes), cancellationToken);
        return view.Value.Dataset;
    }

    /// <summary>The dataset, if it exists and is imported: budgets are made from its items.</summary>
    private static async Task<Outcome<Dataset>> FindReady(SemiCmrDb db, int datasetId, CancellationToken cancellationToken)
    {
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        if (dataset is null) return ServiceProblem.NotFound("id", $"Dataset {datasetId}");
        if (dataset.Status != DatasetStatus.Ready)
            return ServiceProblem.Conflict("id", $"Dataset {datasetId} is {dataset.Status.ToString().ToLowerInvariant()}: budgets need an imported dataset.");
        return dataset;
    }

    private async Task<Cached<BudgetView>> LoadView(int datasetId, IReadOnlyList<string> classes)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var dataset = await DatabaseLabels.ForBudgets(db, datasetId, classes);
        // Per item: the record (64 bytes) and its reference; a label list of its own (32 bytes and 4 a label) unless single.
        long bytes = dataset.Items.Sum(i => 72L + (i.Labels.Count > 1 ? 32L + 4L * i.Labels.Count : 0));
        return new Cached<BudgetView>(new BudgetView(dataset), bytes, [CacheTag.Dataset(datasetId), CacheTag.Labels(datasetId)]);
    }

    /// <summary>A dataset's items and labels without features, as <see cref="LoadDataset"/> keeps them in the cache.</summary>
    private sealed record BudgetView(FeatureDataset Dataset);

    private static BudgetResponse Describe(Data.LabelBudget b, FeatureDataset dataset) =>
        new(b.Id, b.DatasetId, b.Kind, b.Ratio, b.Count, b.Seed, b.CreatedAt, b.LabeledRows, MlBudget.Preview(dataset, b.LabeledRows));
}
