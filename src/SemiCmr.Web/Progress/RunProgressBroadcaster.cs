using System.Collections.Concurrent;

namespace SemiCmr.Web.Progress;

/// <summary>
/// In-process fan-out of run progress (Blazor components, the SignalR relay). Throttled per run to one event
/// per <see cref="Interval"/>: a burst keeps only its latest event, sent when the interval has passed.
/// Final events go out at once and replace anything pending.
/// </summary>
public sealed class RunProgressBroadcaster(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<int, RunState> runs = new();

    /// <summary>Handlers run on the publisher's thread (often the training thread): keep them short.</summary>
    public event Action<RunProgressEvent>? Published;

    /// <summary>The latest event of a run still in progress, or null.</summary>
    public RunProgressEvent? Current(int runId) => runs.TryGetValue(runId, out var state) ? state.Latest : null;

    public void Publish(RunProgressEvent progress)
    {
        var state = runs.GetOrAdd(progress.RunId, _ => new RunState());
        lock (state)
        {
            state.Latest = progress;
            var now = time.GetTimestamp();
            if (progress.IsFinal)
            {
                state.CancelTimer();
                state.Pending = null;
                runs.TryRemove(progress.RunId, out _);
                Send(state, progress, now);
            }
            else if (state.LastSent is null || time.GetElapsedTime(state.LastSent.Value, now) >= Interval)
            {
                state.Pending = null;
                Send(state, progress, now);
            }
            else
            {
                state.Pending = progress;
                state.Timer ??= time.CreateTimer(Flush, state, Interval - time.GetElapsedTime(state.LastSent.Value, now), Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Flush(object? argument)
    {
        var state = (RunState)argument!;
        lock (state)
        {
            state.CancelTimer();
            if (state.Pending is { } pending) Send(state, pending, time.GetTimestamp());
            state.Pending = null;
        }
    }

    private void Send(RunState state, RunProgressEvent progress, long now)
    {
        state.LastSent = now;
        Published?.Invoke(progress);
    }

    private sealed class RunState
    {
        public RunProgressEvent? Latest;
        public RunProgressEvent? Pending;
        public long? LastSent;
        public ITimer? Timer;

        public void CancelTimer()
        {
            Timer?.Dispose();
            Timer = null;
        }
    }
}
