using System.Globalization;

namespace SemiCmr.Web.Caching;

/// <summary>
/// What a cached entry was made from, so a change to it drops the entry (<see cref="ResourceCache.Invalidate"/>):
/// <see cref="Run"/> its run's files, <see cref="Dataset"/> its dataset's files, <see cref="Labels"/> its dataset's
/// labels of today (the Items table), which an annotation changes while the files stay.
/// </summary>
public readonly record struct CacheTag(string Kind, int Id)
{
    public static CacheTag Run(int runId) => new("run", runId);

    public static CacheTag Dataset(int datasetId) => new("dataset", datasetId);

    public static CacheTag Labels(int datasetId) => new("labels", datasetId);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} {Id}");
}
