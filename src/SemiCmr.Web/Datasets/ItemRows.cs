using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// Writes a dataset's items in batches, each its own short transaction holding the batch's items and their label rows
/// (through <see cref="ItemLabelStore"/>), with progress ("saving"). Nothing else is tracked meanwhile: attaching a
/// million items to their dataset's collection made EF Core's fix-up quadratic, and one transaction over all of them
/// would hold SQLite's write lock for the whole import.
/// </summary>
public static class ItemRows
{
    public const int BatchSize = 5000;

    public static async Task Insert(IDbContextFactory<SemiCmrDb> dbFactory, int datasetId, IReadOnlyList<DatasetItem> items,
        IProgress<ImportProgress> progress, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        long started = time.GetTimestamp();
        for (int start = 0; start < items.Count; start += BatchSize)
        {
            int end = Math.Min(items.Count, start + BatchSize);
            var batch = new List<(Item, IReadOnlyList<int>)>(end - start);
            for (int row = start; row < end; row++)
            {
                var item = items[row];
                batch.Add((new Item { DatasetId = datasetId, Row = row, ExternalId = item.Id, Split = item.Split, ImagePath = item.Image, Text = item.Text }, item.Labels));
            }
            await ItemLabelStore.InsertNew(db, batch, cancellationToken);
            db.ChangeTracker.Clear();
            double seconds = time.GetElapsedTime(started).TotalSeconds, rate = seconds > 0 ? end / seconds : 0;
            progress.Report(new ImportProgress("saving", end, items.Count, rate, rate > 0 ? TimeSpan.FromSeconds((items.Count - end) / rate) : null));
        }
    }

    /// <summary>Removes the items of a dataset whose import did not finish, with their labels.</summary>
    public static async Task<int> DeleteAll(SemiCmrDb db, int datasetId, CancellationToken cancellationToken)
    {
        await ItemLabelStore.DeleteAll(db, datasetId, cancellationToken);
        return await db.Items.Where(i => i.DatasetId == datasetId).ExecuteDeleteAsync(cancellationToken);
    }
}
