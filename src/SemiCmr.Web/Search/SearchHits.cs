using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Search;

/// <summary>The returned rows of a search as hits: text excerpt, labels and URLs read for those rows only.</summary>
internal static class SearchHits
{
    public static async Task<IReadOnlyList<SearchHit>> Read(SemiCmrDb db, int datasetId, IReadOnlyList<string> classes,
        IReadOnlyList<(int Row, float Score)> ranked, CancellationToken cancellationToken)
    {
        var rows = ranked.Select(h => h.Row).ToList();
        var items = await db.Items.AsNoTracking().Where(i => i.DatasetId == datasetId && rows.Contains(i.Row))
            .Select(i => new { i.Row, i.ExternalId, Text = i.Text == null ? null : i.Text.Substring(0, TextExcerpt.ReadLength), HasImage = i.ImagePath != null })
            .ToDictionaryAsync(i => i.Row, cancellationToken);
        var labels = await ItemLabelStore.OfRows(db, datasetId, rows, cancellationToken);
        return ranked.Select(hit =>
        {
            var item = items[hit.Row];
            return new SearchHit(item.ExternalId, hit.Row, hit.Score, (labels.GetValueOrDefault(hit.Row) ?? []).Where(l => l < classes.Count).Select(l => classes[l]).ToList(),
                TextExcerpt.Of(item.Text), item.HasImage ? DatasetItemEndpoints.ThumbnailUrl(datasetId, hit.Row) : null,
                item.HasImage ? DatasetItemEndpoints.ImageUrl(datasetId, hit.Row) : null);
        }).ToList();
    }
}
