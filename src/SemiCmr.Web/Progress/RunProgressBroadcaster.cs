using System.Collections.Immutable;

namespace SemiCmr.Web.Progress;

/// <summary>
/// In-process fan-out of run, import and index-build progress (Blazor components, the SignalR relay). Throttled per
/// run, per imported dataset and per index build to one event per <see cref="Interval"/>: a burst keeps only its latest event, sent when
/// the interval has passed. Final events go out at once and replace anything pending.
/// </summary>
public sealed class RunProgressBroadcaster
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly ProgressThrottle<RunProgressEvent> runs;
    private readonly ProgressThrottle<ImportProgressEvent> imports;
    private readonly ProgressThrottle<IndexBuildEvent> indexBuilds;

    private readonly Subscribers<RunProgressEvent> runSubscribers = new();
    private readonly Subscribers<ImportProgressEvent> importSubscribers = new();
    private readonly Subscribers<IndexBuildEvent> indexBuildSubscribers = new();

    public RunProgressBroadcaster(TimeProvider time)
    {
        runs = new(time, Interval, runSubscribers.Send);
        imports = new(time, Interval, importSubscribers.Send);
        indexBuilds = new(time, Interval, indexBuildSubscribers.Send);
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with every run event until the subscription is disposed (in the style of the
    /// Aspire dashboard: a component disposes its subscriptions with itself). Handlers run on the publisher's thread
    /// (often the training thread): keep them short.
    /// </summary>
    public IDisposable SubscribeRuns(Action<RunProgressEvent> handler) => runSubscribers.Add(handler);

    /// <summary>Import progress of every dataset until disposed; handlers run on the import thread: keep them short.</summary>
    public IDisposable SubscribeImports(Action<ImportProgressEvent> handler) => importSubscribers.Add(handler);

    /// <summary>HNSW index builds of every run until disposed; handlers run on the build's thread: keep them short.</summary>
    public IDisposable SubscribeIndexBuilds(Action<IndexBuildEvent> handler) => indexBuildSubscribers.Add(handler);

    /// <summary>The latest event of a run still in progress, or null.</summary>
    public RunProgressEvent? Current(int runId) => runs.Current(runId);

    /// <summary>The latest event of an import still in progress, or null.</summary>
    public ImportProgressEvent? CurrentImport(int datasetId) => imports.Current(datasetId);

    public void Publish(RunProgressEvent progress) => runs.Publish(progress.RunId, progress, progress.IsFinal);

    public void PublishImport(ImportProgressEvent progress) => imports.Publish(progress.DatasetId, progress, progress.IsFinal);

    public void PublishIndexBuild(IndexBuildEvent progress) => indexBuilds.Publish(progress.RunId, progress, progress.IsFinal);

    /// <summary>A thread-safe list of handlers; a subscription removes its handler when disposed (twice is harmless).</summary>
    private sealed class Subscribers<TEvent>
    {
        private ImmutableList<Action<TEvent>> handlers = [];

        public IDisposable Add(Action<TEvent> handler)
        {
            ImmutableInterlocked.Update(ref handlers, list => list.Add(handler));
            return new Subscription(() => ImmutableInterlocked.Update(ref handlers, list => list.Remove(handler)));
        }

        public void Send(TEvent progress)
        {
            foreach (var handler in handlers) handler(progress);
        }
    }

    private sealed class Subscription(Action remove) : IDisposable
    {
        private Action? remove = remove;

        public void Dispose() => Interlocked.Exchange(ref remove, null)?.Invoke();
    }
}
