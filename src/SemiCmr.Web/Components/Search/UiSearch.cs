using SemiCmr.Ml.Features;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Components.Search;

/// <summary>What the user searches with: free text, an uploaded image, or an item of the dataset.</summary>
public abstract record SearchQuery
{
    public sealed record ByText(string Text) : SearchQuery;
    public sealed record ByImage(byte[] Image, string FileName) : SearchQuery;
    public sealed record ByItem(string ItemId) : SearchQuery;
}

/// <summary>One result as the page shows it.</summary>
public sealed record UiHit(string ItemId, int Row, double Score, IReadOnlyList<string> Labels, string? Text, string? ThumbnailUrl, string? ImageUrl);

/// <summary>A page of results, or why the query cannot be answered.</summary>
public sealed record UiSearchResult(IReadOnlyList<UiHit> Hits, int Total, string? WhyNot = null);

/// <summary>Page arithmetic of the results: pages are 1-based, like MudPagination.</summary>
public static class SearchPaging
{
    public static int PageCount(int total, int pageSize) => total <= 0 ? 0 : (total + pageSize - 1) / pageSize;

    public static int Offset(int page, int pageSize) => Math.Max(0, page - 1) * pageSize;

    /// <summary>"Results 25-48 of 120" style range of a page; empty when there is nothing.</summary>
    public static string Range(int page, int pageSize, int shown, int total) =>
        total == 0 || shown == 0 ? "No results" : $"{Offset(page, pageSize) + 1}\u2013{Offset(page, pageSize) + shown} of {total}";
}

/// <summary>
/// Runs the page's searches against the app's services directly (no HTTP), as POST /api/runs/{id}/search does: items
/// through the run's cached index; free text and image files through the dataset's query encoders and the run's model,
/// where the dataset has them, otherwise the reason.
/// </summary>
public sealed class UiSearch(SearchIndexCache cache, QueryModels queryModels, AppPaths paths)
{
    public async Task<UiSearchResult> Search(Run run, SearchQuery query, bool targetImages, int k, int offset, IReadOnlyCollection<string> labels)
    {
        var index = await cache.Get(run.Id);
        var classes = index.Classes.ToList();
        HashSet<int>? filter = labels.Count == 0 ? null : labels.Select(l => classes.IndexOf(l)).Where(i => i >= 0).ToHashSet();
        (IReadOnlyList<(int Row, float Score)> Hits, int Total) ranked;
        if (query is SearchQuery.ByItem item)
        {
            if (index.RowOf(item.ItemId.Trim()) is not { } row) return new([], 0, $"There is no item '{item.ItemId}' in this dataset.");
            ranked = index.Search(row, targetImages, k, offset, filter);
        }
        else
        {
            // Encoding and embedding run torch on the CPU: keep them off the circuit's thread.
            var (embedding, whyNot) = await Task.Run(() => Embed(run, query));
            if (embedding is null) return new([], 0, whyNot);
            ranked = index.Search(embedding, targetImages, k, offset, filter);
        }
        return new(ranked.Hits.Select(h => Hit(index, run.DatasetId, h.Row, h.Score)).ToList(), ranked.Total);
    }

    private (float[]? Embedding, string? WhyNot) Embed(Run run, SearchQuery query)
    {
        bool isImage = query is SearchQuery.ByImage;
        float[]? features;
        string? whyNot;
        try
        {
            (features, whyNot) = query switch
            {
                SearchQuery.ByText text => queryModels.EncodeText(run.DatasetId, text.Text),
                SearchQuery.ByImage image => queryModels.EncodeImage(run.DatasetId, new MemoryStream(image.Image, writable: false)),
                _ => throw new ArgumentOutOfRangeException(nameof(query)),
            };
        }
        catch (ImageRejectedException e)
        {
            return (null, $"The image could not be used: {e.Message}");
        }
        if (features is null) return (null, whyNot);
        return (queryModels.Embed(run.Id, paths.Run(run.Id), features, isImage), null);
    }

    private static UiHit Hit(SearchIndex index, int datasetId, int row, double score)
    {
        var item = index.Items[row];
        return new UiHit(item.Id, row, score, item.Labels.Select(l => index.Classes[l]).ToList(), item.Text,
            item.HasImage ? DatasetItemEndpoints.ThumbnailUrl(datasetId, row) : null, item.HasImage ? DatasetItemEndpoints.ImageUrl(datasetId, row) : null);
    }
}
