namespace SemiCmr.Web.Search;

/// <summary>What the user searches with: free text, an image file, or an item of the dataset.</summary>
public abstract record SearchQuery
{
    public sealed record ByText(string Text) : SearchQuery;
    public sealed record ByImage(byte[] Image, string FileName) : SearchQuery;
    public sealed record ByItem(string ItemId) : SearchQuery;

    /// <summary>
    /// The modality searched when the caller does not say: a text looks for images, an image for texts, and an item's
    /// image for texts (the cross-modal direction a user browsing images expects).
    /// </summary>
    public bool TargetsImagesByDefault => this is ByText;
}

/// <summary>One search: the query, which modality to rank, the page, and the labels a hit must carry one of (none: any).</summary>
public sealed record SearchSpec(SearchQuery Query, bool TargetImages, int K = 10, int Offset = 0, IReadOnlyList<string>? Labels = null);

/// <summary>A search result: the item, its cosine score, labels, a text excerpt and, when its image is stored (raw datasets), URLs.</summary>
public sealed record SearchHit(string ItemId, int Row, double Score, IReadOnlyList<string> Labels, string? Text, string? ThumbnailUrl, string? ImageUrl);

public sealed record SearchResponse(IReadOnlyList<SearchHit> Hits, int Total);
