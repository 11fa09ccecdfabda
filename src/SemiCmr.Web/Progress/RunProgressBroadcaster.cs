namespace SemiCmr.Web.Progress;

/// <summary>
/// In-process fan-out of run and import progress (Blazor components, the SignalR relay). Throttled per run and
/// per imported dataset to one event per <see cref="Interval"/>: a burst keeps only its latest event, sent when
/// the interval has passed. Final events go out at once and replace anything pending.
/// </summary>
public sealed class RunProgressBroadcaster
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly ProgressThrottle<RunProgressEvent> runs;
    private readonly ProgressThrottle<ImportProgressEvent> imports;

    public RunProgressBroadcaster(TimeProvider time)
    {
        runs = new(time, Interval, progress => Published?.Invoke(progress));
        imports = new(time, Interval, progress => ImportPublished?.Invoke(progress));
    }

    /// <summary>Handlers run on the publisher's thread (often the training thread): keep them short.</summary>
    public event Action<RunProgressEvent>? Published;

    /// <summary>Import progress of a dataset; handlers run on the import thread: keep them short.</summary>
    public event Action<ImportProgressEvent>? ImportPublished;

    /// <summary>The latest event of a run still in progress, or null.</summary>
    public RunProgressEvent? Current(int runId) => runs.Current(runId);

    /// <summary>The latest event of an import still in progress, or null.</summary>
    public ImportProgressEvent? CurrentImport(int datasetId) => imports.Current(datasetId);

    public void Publish(RunProgressEvent progress) => runs.Publish(progress.RunId, progress, progress.IsFinal);

    public void PublishImport(ImportProgressEvent progress) => imports.Publish(progress.DatasetId, progress, progress.IsFinal);
}
