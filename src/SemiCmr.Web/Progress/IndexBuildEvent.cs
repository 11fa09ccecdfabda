namespace SemiCmr.Web.Progress;

/// <summary>
/// How far a run's HNSW index build has come (Progress, 0-1), for the search page's index chip. The last event has
/// IsFinal set: with Error when the build failed (the run's search stays exact), without when the index is ready.
/// </summary>
public sealed record IndexBuildEvent(int RunId, double Progress, bool IsFinal = false, string? Error = null);
