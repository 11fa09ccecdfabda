using System.Collections;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Budgets;

/// <summary>
/// The rows of a dataset that a budget can show (train items with labels), one bit a row: all a budget list needs to
/// count each budget's labeled rows, and what a list of items filtered by a budget is sent instead of the shown rows when
/// the hidden ones are fewer. Read from one index of the Items table, so neither reads every item's labels (at a million
/// items that read takes seconds; this one half a second, and 125 KB stay cached until the labels change).
/// </summary>
public sealed class BudgetCandidates
{
    private readonly BitArray rows;

    private BudgetCandidates(BitArray rows, int count)
    {
        this.rows = rows;
        Count = count;
    }

    /// <summary>How many rows can show their labels.</summary>
    public int Count { get; }

    /// <summary>How many of <paramref name="labeledRows"/> (a budget's rows) can show their labels today, each counted once.</summary>
    public int CountAmong(IReadOnlyCollection<int> labeledRows)
    {
        Among(labeledRows, out int count);
        return count;
    }

    /// <summary>
    /// The shown rows of a budget as a query of items sends them (<see cref="BudgetRows"/>): those of
    /// <paramref name="shownRows"/> that can show their labels, or the candidates it hides when those are fewer.
    /// </summary>
    public BudgetRows Rows(IReadOnlyCollection<int> shownRows)
    {
        var shown = Among(shownRows, out int count);
        bool hidden = Count - count < count;
        var listed = new List<int>(hidden ? Count - count : count);
        for (int row = 0; row < rows.Length; row++)
            if (rows[row] && shown[row] != hidden) listed.Add(row);
        return new BudgetRows(listed, hidden);
    }

    /// <summary>Which of <paramref name="someRows"/> are candidates, and how many (each row once).</summary>
    private BitArray Among(IReadOnlyCollection<int> someRows, out int count)
    {
        var among = new BitArray(rows.Length);
        count = 0;
        foreach (int row in someRows)
        {
            if (row < 0 || row >= rows.Length || !rows[row] || among[row]) continue;
            among[row] = true;
            count++;
        }
        return among;
    }

    /// <summary>The dataset's candidates from the cache, read first if need be.</summary>
    public static Task<CacheLease<BudgetCandidates>> Lease(ResourceCache cache, IDbContextFactory<SemiCmrDb> dbFactory, int datasetId,
        CancellationToken cancellationToken) =>
        cache.Lease(datasetId, async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            return await Load(db, datasetId, CancellationToken.None);
        }, cancellationToken);

    /// <summary>The candidates as the database holds them today, cached until the dataset's labels change.</summary>
    private static async Task<Cached<BudgetCandidates>> Load(SemiCmrDb db, int datasetId, CancellationToken cancellationToken)
    {
        var labeledTrainRows = await db.Items.Where(i => i.DatasetId == datasetId && i.Split == Split.Train)
            .Where(ItemLabelStore.IsLabeled()).Select(i => i.Row).ToListAsync(cancellationToken);
        var rows = new BitArray(labeledTrainRows.Count == 0 ? 0 : labeledTrainRows.Max() + 1);
        foreach (int row in labeledTrainRows) rows[row] = true;
        return new Cached<BudgetCandidates>(new BudgetCandidates(rows, labeledTrainRows.Count), rows.Length / 8 + 64,
            [CacheTag.Dataset(datasetId), CacheTag.Labels(datasetId)]);
    }
}
