using System.ComponentModel.DataAnnotations;
using SemiCmr.Ml.Search;

namespace SemiCmr.Web.Hosting;

/// <summary>Search: when runs are searched approximately, and the image query's size ("Search" section; what stays loaded is bounded by <see cref="CacheOptions"/>).</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>
    /// Runs of more items than this are searched through an HNSW index (approximate, built in the background after
    /// the run succeeds or at its first search, saved in the run folder); smaller runs, and bigger ones until their
    /// index is built, are searched exactly.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Search:ApproximateAbove must be 0 or more.")]
    public int ApproximateAbove { get; set; } = 200_000;

    /// <summary>
    /// Candidates an HNSW query keeps while it walks the graph (USearch's expansion, ef): more finds more of the exact
    /// top hits and costs time about in proportion. Takes effect when a run's index is next loaded; no rebuild.
    /// </summary>
    [Range(10, 4096, ErrorMessage = "Search:HnswExpansion must be between {1} and {2}.")]
    public int HnswExpansion { get; set; } = HnswIndex.DefaultSearchExpansion;

    /// <summary>Largest image file accepted by POST /api/runs/{id}/search/image and the search page.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Search:MaxQueryImageBytes must be at least {1}.")]
    public long MaxQueryImageBytes { get; set; } = 10 * 1024 * 1024;
}
