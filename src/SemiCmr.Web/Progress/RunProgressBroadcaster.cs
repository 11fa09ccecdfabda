using System.Collections.Immutable;

namespace SemiCmr.Web.Progress;

/// <summary>
/// In-process fan-out of run, import and index-build progress (Blazor components, the SignalR relay). Throttled per
/// run, per imported dataset and per index build to one event per <see cref="Interval"/>: a burst keeps only its latest event, sent when
/// the interval has passed. Final events go out at once and replace anything pending.
/// <para>
/// With several instances on one PostgreSQL, the runs and imports published here also leave for the others
/// (<see cref="SubscribePublishedHere"/>, taken by <see cref="PostgresProgressRelay"/>), and what they publish arrives through
/// <see cref="DeliverFromElsewhere"/>: subscribers and <see cref="Current"/> cannot tell the two apart.
/// </para>
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
    private readonly Subscribers<ProgressUpdate> publishedHere = new();

    private readonly RemoteLatest<RunProgressEvent> remoteRuns;
    private readonly RemoteLatest<ImportProgressEvent> remoteImports;

    public RunProgressBroadcaster(TimeProvider time)
    {
        runs = new(time, Interval, progress => Send(runSubscribers, progress, new ProgressUpdate(Run: progress)));
        imports = new(time, Interval, progress => Send(importSubscribers, progress, new ProgressUpdate(Import: progress)));
        // Not relayed: a build is this instance's in-memory index; another instance's chip would claim a graph it has not loaded.
        indexBuilds = new(time, Interval, indexBuildSubscribers.Send);
        remoteRuns = new(time);
        remoteImports = new(time);
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

    /// <summary>
    /// Every run and import event published in this process, once past the throttle (not those delivered from elsewhere),
    /// for the relay to other instances. Handlers run on the publisher's thread: keep them short.
    /// </summary>
    public IDisposable SubscribePublishedHere(Action<ProgressUpdate> handler) => publishedHere.Add(handler);

    /// <summary>The latest event of a run still in progress (here or, recently, on another instance), or null.</summary>
    public RunProgressEvent? Current(int runId) => runs.Current(runId) ?? remoteRuns.Current(runId);

    /// <summary>The latest event of an import still in progress (here or, recently, on another instance), or null.</summary>
    public ImportProgressEvent? CurrentImport(int datasetId) => imports.Current(datasetId) ?? remoteImports.Current(datasetId);

    public void Publish(RunProgressEvent progress) => runs.Publish(progress.RunId, progress, progress.IsFinal);

    public void PublishImport(ImportProgressEvent progress) => imports.Publish(progress.DatasetId, progress, progress.IsFinal);

    public void PublishIndexBuild(IndexBuildEvent progress) => indexBuilds.Publish(progress.RunId, progress, progress.IsFinal);

    /// <summary>
    /// An event another instance published (already throttled there): to this instance's subscribers as if published
    /// here, remembered for <see cref="Current"/>, and not sent on to <see cref="SubscribePublishedHere"/>.
    /// </summary>
    public void DeliverFromElsewhere(ProgressUpdate update)
    {
        switch (update)
        {
            case { Run: { } run }:
                remoteRuns.Remember(run.RunId, run, run.IsFinal);
                runSubscribers.Send(run);
                break;
            case { Import: { } import }:
                remoteImports.Remember(import.DatasetId, import, import.IsFinal);
                importSubscribers.Send(import);
                break;
        }
    }

    private void Send<TEvent>(Subscribers<TEvent> local, TEvent progress, ProgressUpdate update)
    {
        local.Send(progress);
        publishedHere.Send(update);
    }

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
