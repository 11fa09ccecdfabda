namespace SemiCmr.Web.Progress;

/// <summary>
/// A run or an import event (exactly one is set), so queues and the cross-instance relay can carry both together and
/// still keep each run's and each import's events in order. Index builds are not among them: a build is the state of
/// one instance's in-memory index, which other instances do not share.
/// </summary>
public sealed record ProgressUpdate(RunProgressEvent? Run = null, ImportProgressEvent? Import = null)
{
    /// <summary>The stream and id whose events must stay in order: a run, or a dataset's import.</summary>
    public (ProgressStream Stream, int Id) Key => this switch
    {
        { Run: { } run } => (ProgressStream.Run, run.RunId),
        { Import: { } import } => (ProgressStream.Import, import.DatasetId),
        _ => throw new InvalidOperationException("A progress update carries one event."),
    };

    public bool IsFinal => Run?.IsFinal ?? Import?.IsFinal ?? false;

    /// <summary>True when exactly one event is set (what arrives from another instance is checked with it).</summary>
    public bool IsWellFormed => (Run is null) != (Import is null);
}

public enum ProgressStream
{
    Run,
    Import,
}
