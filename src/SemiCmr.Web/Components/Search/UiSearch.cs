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
/// Runs the page's searches against the app's services directly (no HTTP): items through the run's cached index;
/// free text and image files only where the dataset has the encoders for them, otherwise the reason.
/// </summary>
public sealed class UiSearch(SearchIndexCache cache)
{
    public const string NoTextEncoder =
        "This dataset has no text encoder: free-text search needs a raw image-text dataset (features-only datasets can be searched by item).";

    public const string NoImageEncoder =
        "This dataset has no image encoder: searching with an image file needs a raw image-text dataset (search by item instead).";

    public async Task<UiSearchResult> Search(int runId, int datasetId, SearchQuery query, bool targetImages, int k, int offset, IReadOnlyCollection<string> labels)
    {
        var index = await cache.Get(runId);
        var classes = index.Classes.ToList();
        HashSet<int>? filter = labels.Count == 0 ? null : labels.Select(l => classes.IndexOf(l)).Where(i => i >= 0).ToHashSet();
        switch (query)
        {
            case SearchQuery.ByItem item:
                if (index.RowOf(item.ItemId.Trim()) is not { } row) return new([], 0, $"There is no item '{item.ItemId}' in this dataset.");
                var (hits, total) = index.Search(row, targetImages, k, offset, filter);
                return new(hits.Select(h => Hit(index, datasetId, h.Row, h.Score)).ToList(), total);
            case SearchQuery.ByText:
                return new([], 0, NoTextEncoder);
            default:
                return new([], 0, NoImageEncoder);
        }
    }

    private static UiHit Hit(SearchIndex index, int datasetId, int row, double score)
    {
        var item = index.Items[row];
        return new UiHit(item.Id, row, score, item.Labels.Select(l => index.Classes[l]).ToList(), item.Text, null, null);
    }
}
