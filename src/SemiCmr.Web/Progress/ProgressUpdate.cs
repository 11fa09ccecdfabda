namespace SemiCmr.Web.Progress;

/// <summary>
/// One event of any of the broadcaster's three streams (exactly one of the three is set), so queues and the
/// cross-instance relay can carry them together and still keep each run's, import's and build's events in order.
/// </summary>
public sealed record ProgressUpdate(RunProgressEvent? Run = null, ImportProgressEvent? Import = null, IndexBuildEvent? IndexBuild = null)
{
    /// <summary>The stream and id whose events must stay in order: a run, a dataset's import, a run's index build.</summary>
    public (ProgressStream Stream, int Id) Key => this switch
    {
        { Run: { } run } => (ProgressStream.Run, run.RunId),
        { Import: { } import } => (ProgressStream.Import, import.DatasetId),
        { IndexBuild: { } build } => (ProgressStream.IndexBuild, build.RunId),
        _ => throw new InvalidOperationException("A progress update carries one event."),
    };

    public bool IsFinal => Run?.IsFinal ?? Import?.IsFinal ?? IndexBuild?.IsFinal ?? false;

    /// <summary>True when exactly one event is set (what arrives from another instance is checked with it).</summary>
    public bool IsWellFormed => (Run is null ? 0 : 1) + (Import is null ? 0 : 1) + (IndexBuild is null ? 0 : 1) == 1;
}

public enum ProgressStream
{
    Run,
    Import,
    IndexBuild,
}
