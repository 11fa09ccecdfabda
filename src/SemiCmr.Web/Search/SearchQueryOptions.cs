using System.ComponentModel.DataAnnotations;

namespace SemiCmr.Web.Search;

/// <summary>Free-text and image queries ("Search" section, next to CachedIndexes).</summary>
public sealed class SearchQueryOptions
{
    public const string Section = "Search";

    /// <summary>Largest image file accepted by POST /api/runs/{id}/search/image.</summary>
    [Range(1, long.MaxValue)] public long MaxQueryImageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How many datasets' query encoders (MiniLM, TF-IDF, ResNet-18) stay loaded.</summary>
    [Range(1, 100)] public int CachedEncoders { get; set; } = 2;

    /// <summary>How many runs' trained models stay loaded for queries.</summary>
    [Range(1, 1000)] public int CachedModels { get; set; } = 4;
}
