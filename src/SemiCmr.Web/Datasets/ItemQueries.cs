using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Api;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

/// <summary>What a list of a dataset's items is narrowed to; every list of items (the API, the items grid) says it with one.</summary>
/// <param name="Label">A class index: only the items carrying that class.</param>
/// <param name="Labeled">
/// true: the labeled items, false: the others, null: both. Labeled means carrying a label (<see cref="Item.HasLabels"/>),
/// and also shown by the budget when <paramref name="ShownRows"/> is given.
/// </param>
/// <param name="ShownRows">The rows a label budget shows: "labeled" then means labeled in that budget.</param>
public sealed record ItemQuery(Split? Split = null, int? Label = null, bool? Labeled = null, IReadOnlyCollection<int>? ShownRows = null);

/// <summary>GET /api/datasets/{id}/items as asked: names and ids, checked and resolved into an <see cref="ItemQuery"/>.</summary>
public sealed record ItemListRequest(int? Offset = null, int? Limit = null, string? Split = null, string? Label = null, bool? Labeled = null, int? BudgetId = null);

/// <summary>
/// A dataset's items, for the REST API and the pages alike: filtered pages (one query for both, so they cannot filter
/// differently) and single items. Every filter is an index range or lookup (Items by HasLabels and split, ItemLabels by
/// class), so a page and its total stay fast at a million items; only the page's rows are read, texts as excerpts.
/// </summary>
public sealed class ItemQueries(IDbContextFactory<SemiCmrDb> dbFactory, ResourceCache cache)
{
    public const int MaxLimit = 500;

    /// <summary>The API's list: <paramref name="request"/>'s split, label name and budget id resolved, then <see cref="Page"/>'s query.</summary>
    public async Task<Outcome<ItemPage>> List(int datasetId, ItemListRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var classes = await Classes(db, datasetId, cancellationToken);
        if (classes is null) return ServiceProblem.NotFound("id", $"Dataset {datasetId}");

        int offset = request.Offset ?? 0, limit = request.Limit ?? 50;
        var errors = PagingErrors(offset, limit);
        Split? split = null;
        if (!string.IsNullOrEmpty(request.Split))
        {
            if (Enum.TryParse<Split>(request.Split, ignoreCase: true, out var parsed) && !int.TryParse(request.Split, out _)) split = parsed;
            else errors["split"] = [$"Unknown split '{Problems.Echo(request.Split)}': use train, val or test."];
        }
        int? label = null;
        if (!string.IsNullOrEmpty(request.Label))
        {
            int index = classes.IndexOf(request.Label);
            if (index >= 0) label = index;
            else errors["label"] = [$"Unknown label '{Problems.Echo(request.Label)}'. Known: {Problems.List(classes, ClassLimits.MaxShown)}."];
        }
        List<int>? shown = null;
        if (request.BudgetId is { } budgetId)
        {
            shown = await db.Budgets.AsNoTracking().Where(b => b.Id == budgetId && b.DatasetId == datasetId).Select(b => b.LabeledRows).FirstOrDefaultAsync(cancellationToken);
            if (shown is null) errors["budgetId"] = [$"Dataset {datasetId} has no label budget {budgetId}."];
        }
        if (errors.Count > 0) return new ServiceProblem(ProblemKind.Invalid, errors);
        var query = new ItemQuery(split, label, request.Labeled, shown);
        return await Read(db, datasetId, classes, query, await BudgetOf(datasetId, query, cancellationToken), offset, limit, cancellationToken);
    }

    /// <summary>One page of a dataset's items in row order, with how many match <paramref name="query"/> in all.</summary>
    public async Task<Outcome<ItemPage>> Page(int datasetId, ItemQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var classes = await Classes(db, datasetId, cancellationToken);
        if (classes is null) return ServiceProblem.NotFound("id", $"Dataset {datasetId}");
        var errors = PagingErrors(offset, limit);
        if (query.Label is { } label && (label < 0 || label >= classes.Count)) errors["label"] = [$"The dataset has {classes.Count} classes: {label} is none of them."];
        if (errors.Count > 0) return new ServiceProblem(ProblemKind.Invalid, errors);
        return await Read(db, datasetId, classes, query, await BudgetOf(datasetId, query, cancellationToken), offset, limit, cancellationToken);
    }

    /// <summary>One item with its whole stored text and its labels.</summary>
    public async Task<Outcome<ItemDetails>> Get(int datasetId, int row, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var classes = await Classes(db, datasetId, cancellationToken);
        if (classes is null) return ServiceProblem.NotFound("id", $"Dataset {datasetId}");
        var item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.DatasetId == datasetId && i.Row == row, cancellationToken);
        if (item is null) return ServiceProblem.NotFound("row", $"Item {row} in dataset {datasetId}");
        var labels = await ItemLabelStore.OfRows(db, datasetId, [row], cancellationToken);
        return new ItemDetails(item.Row, item.ExternalId, item.Split, Names(labels.GetValueOrDefault(row), classes), item.Text,
            item.ImagePath is null ? null : DatasetItemEndpoints.ThumbnailUrl(datasetId, row), item.ImagePath is null ? null : DatasetItemEndpoints.ImageUrl(datasetId, row));
    }

    /// <summary>The stored item (whole text, image path, no labels): what the dataset page's dialogs open from a row of the grid.</summary>
    public async Task<Outcome<Item>> Find(int datasetId, int row, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.DatasetId == datasetId && i.Row == row, cancellationToken);
        return item is null ? ServiceProblem.NotFound("row", $"Item {row} of dataset {datasetId}") : item;
    }

    /// <summary>The query's budget rows as the database is sent them: the shown candidates, or the hidden ones when fewer.</summary>
    private async Task<BudgetRows?> BudgetOf(int datasetId, ItemQuery query, CancellationToken cancellationToken)
    {
        if (query.ShownRows is null) return null;
        using var candidates = await BudgetCandidates.Lease(cache, dbFactory, datasetId, cancellationToken);
        return candidates.Value.Rows(query.ShownRows);
    }

    /// <summary>The items <paramref name="query"/> keeps (its budget as <paramref name="budget"/>), as one SQL query (no rows read yet).</summary>
    private static IQueryable<Item> Filter(SemiCmrDb db, int datasetId, ItemQuery query, BudgetRows? budget)
    {
        var items = db.Items.AsNoTracking().Where(i => i.DatasetId == datasetId);
        if (query.Split is { } split) items = items.Where(i => i.Split == split);
        if (query.Label is { } label)
        {
            var carrying = db.ItemLabels.Where(l => l.DatasetId == datasetId && l.ClassIndex == label).Select(l => l.Row);
            // An item carrying a class is labeled; saying so lets the row lookups use the HasLabels indexes.
            items = items.Where(ItemLabelStore.IsLabeled()).Where(i => carrying.Contains(i.Row));
        }
        return query.Labeled switch
        {
            true => Labeled(items, budget),
            false when budget is null => items.Where(ItemLabelStore.IsLabeled(false)),
            false when budget.AreHidden => NotShown(items, budget.Rows),
            false => Unlabeled(items, Labeled(db.Items.Where(i => i.DatasetId == datasetId), budget).Select(i => i.Row)),
            null => items,
        };
    }

    /// <summary>The labeled ones among <paramref name="items"/>: carrying a label and, with a budget, shown by it.</summary>
    private static IQueryable<Item> Labeled(IQueryable<Item> items, BudgetRows? budget)
    {
        items = items.Where(ItemLabelStore.IsLabeled());
        if (budget is null) return items;
        // One parameter whatever the budget's size (SQLite reads it as JSON, PostgreSQL as an array): one parameter
        // per row would pass the database's limit on parameters with a large budget. A budget only shows train items.
        var rows = budget.Rows;
        return budget.AreHidden
            ? items.Where(i => i.Split == Split.Train && !EF.Parameter(rows).Contains(i.Row))
            : items.Where(i => EF.Parameter(rows).Contains(i.Row));
    }

    /// <summary>
    /// The complement of <see cref="Labeled"/> for a budget sent as the candidates it hides: not a candidate (no labels,
    /// or not a train item), or hidden. Tested row by row, where the complement of the shown rows would first list them all.
    /// </summary>
    private static IQueryable<Item> NotShown(IQueryable<Item> items, List<int> hiddenRows) =>
        items.Where(i => !i.HasLabels || i.Split != Split.Train || EF.Parameter(hiddenRows).Contains(i.Row));

    /// <summary>The complement of the labeled rows: "unlabeled" is "not labeled", never a second definition.</summary>
    private static IQueryable<Item> Unlabeled(IQueryable<Item> items, IQueryable<int> labeledRows) =>
        items.Where(i => !labeledRows.Contains(i.Row));

    private static async Task<ItemPage> Read(SemiCmrDb db, int datasetId, IReadOnlyList<string> classes, ItemQuery query, BudgetRows? budget,
        int offset, int limit, CancellationToken cancellationToken)
    {
        var items = Filter(db, datasetId, query, budget);
        int total = await Total(db, datasetId, query, budget, items, cancellationToken);
        // Only the start of each text leaves the database: a page of 500 long texts would otherwise be read whole.
        var page = await items.OrderBy(i => i.Row).Skip(offset).Take(limit)
            .Select(i => new { i.Row, i.ExternalId, i.Split, i.HasLabels, HasImage = i.ImagePath != null, Text = i.Text == null ? null : i.Text.Substring(0, TextExcerpt.ReadLength) })
            .ToListAsync(cancellationToken);
        var labels = await ItemLabelStore.OfRows(db, datasetId, [.. page.Where(i => i.HasLabels).Select(i => i.Row)], cancellationToken);
        return new ItemPage([.. page.Select(i => new ItemSummary(i.Row, i.ExternalId, i.Split, Names(labels.GetValueOrDefault(i.Row), classes), TextExcerpt.Of(i.Text),
            i.HasImage ? DatasetItemEndpoints.ThumbnailUrl(datasetId, i.Row) : null, i.HasImage ? DatasetItemEndpoints.ImageUrl(datasetId, i.Row) : null))], total, offset, limit);
    }

    /// <summary>
    /// How many items match. "Unlabeled in a budget" is counted as all minus labeled, two index ranges: counting the
    /// complement itself would test every item of the dataset against the budget's rows.
    /// </summary>
    private static async Task<int> Total(SemiCmrDb db, int datasetId, ItemQuery query, BudgetRows? budget, IQueryable<Item> items,
        CancellationToken cancellationToken) =>
        query.Labeled == false && budget is not null
            ? await Filter(db, datasetId, query with { Labeled = null }, budget).CountAsync(cancellationToken)
                - await Filter(db, datasetId, query with { Labeled = true }, budget).CountAsync(cancellationToken)
            : await items.CountAsync(cancellationToken);

    private static Dictionary<string, string[]> PagingErrors(int offset, int limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (offset < 0) errors["offset"] = ["offset must be 0 or more."];
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        return errors;
    }

    private static Task<List<string>?> Classes(SemiCmrDb db, int datasetId, CancellationToken cancellationToken) =>
        db.Datasets.AsNoTracking().Where(d => d.Id == datasetId).Select(d => (List<string>?)d.Classes).FirstOrDefaultAsync(cancellationToken);

    private static List<string> Names(List<int>? labels, IReadOnlyList<string> classes) =>
        labels is null ? [] : [.. labels.Where(l => l < classes.Count).Select(l => classes[l])];
}
