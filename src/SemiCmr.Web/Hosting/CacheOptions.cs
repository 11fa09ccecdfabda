using System.ComponentModel.DataAnnotations;

namespace SemiCmr.Web.Hosting;

/// <summary>
/// The one in-memory cache of search indexes, query models and encoders, and run reports ("Cache" section).
/// </summary>
public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>Smallest accepted bound: below it not even a small run's index would stay loaded.</summary>
    public const long MinBytes = 1L << 20;

    /// <summary>
    /// The most bytes the cache keeps, estimated per entry (embedding vectors, model weights, vocabularies, reports);
    /// past it the least recently used entries are dropped. 2 GiB keeps several runs of 200,000 items (about 200 MB
    /// each at the default 128 dimensions) beside training on a 16 GB machine. Entries still used by a query are
    /// freed when that query ends, so memory can briefly exceed the bound by what running queries hold.
    /// </summary>
    [Range(MinBytes, long.MaxValue, ErrorMessage = "Cache:MaxBytes must be at least {1} (1 MiB).")]
    public long MaxBytes { get; set; } = 2L << 30;
}
