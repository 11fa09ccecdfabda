using System.ComponentModel.DataAnnotations;

namespace SemiCmr.Web.Hosting;

/// <summary>Search: the caches of indexes, encoders and models, and the image query's size ("Search" section).</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>How many runs' embedding indexes stay in memory at once.</summary>
    [Range(1, 1000, ErrorMessage = "Search:CachedIndexes must be between {1} and {2}.")]
    public int CachedIndexes { get; set; } = 4;

    /// <summary>How many datasets' query encoders (MiniLM, TF-IDF, ResNet-18) stay loaded.</summary>
    [Range(1, 100, ErrorMessage = "Search:CachedEncoders must be between {1} and {2}.")]
    public int CachedEncoders { get; set; } = 2;

    /// <summary>How many runs' trained models stay loaded for queries.</summary>
    [Range(1, 1000, ErrorMessage = "Search:CachedModels must be between {1} and {2}.")]
    public int CachedModels { get; set; } = 4;

    /// <summary>
    /// Runs of more items than this are searched through an HNSW index (approximate, built in the background after
    /// the run succeeds or at its first search, saved in the run folder); smaller runs, and bigger ones until their
    /// index is built, are searched exactly.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Search:ApproximateAbove must be 0 or more.")]
    public int ApproximateAbove { get; set; } = 200_000;

    /// <summary>Largest image file accepted by POST /api/runs/{id}/search/image and the search page.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Search:MaxQueryImageBytes must be at least {1}.")]
    public long MaxQueryImageBytes { get; set; } = 10 * 1024 * 1024;
}
