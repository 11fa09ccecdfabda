namespace SemiCmr.Web.Caching;

/// <summary>
/// What a loader hands <see cref="ResourceCache"/>: the value, the bytes it holds (an honest estimate: what evicting
/// it frees) and the tags whose invalidation drops it.
/// </summary>
public sealed record Cached<T>(T Value, long Bytes, IReadOnlyList<CacheTag> Tags) where T : class
{
    public long Bytes { get; } = Bytes >= 0 ? Bytes : throw new ArgumentOutOfRangeException(nameof(Bytes), Bytes, "A size cannot be negative.");
}
