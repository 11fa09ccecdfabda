using System.Collections.Concurrent;

namespace SemiCmr.Web.Progress;

/// <summary>
/// Per-key throttling shared by run and import progress: at most one event per <see cref="Interval"/> and key;
/// a burst keeps only its latest event, sent when the interval has passed. Final events go out at once,
/// replace anything pending and forget the key.
/// </summary>
internal sealed class ProgressThrottle<TEvent>(TimeProvider time, TimeSpan interval, Action<TEvent> send) where TEvent : class
{
    private readonly ConcurrentDictionary<int, KeyState> keys = new();

    public TimeSpan Interval { get; } = interval;

    public TEvent? Current(int key) => keys.TryGetValue(key, out var state) ? state.Latest : null;

    public void Publish(int key, TEvent progress, bool isFinal)
    {
        var state = keys.GetOrAdd(key, _ => new KeyState());
        lock (state)
        {
            state.Latest = progress;
            var now = time.GetTimestamp();
            if (isFinal)
            {
                state.CancelTimer();
                state.Pending = null;
                keys.TryRemove(key, out _);
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
        var state = (KeyState)argument!;
        lock (state)
        {
            state.CancelTimer();
            if (state.Pending is { } pending) Send(state, pending, time.GetTimestamp());
            state.Pending = null;
        }
    }

    private void Send(KeyState state, TEvent progress, long now)
    {
        state.LastSent = now;
        send(progress);
    }

    private sealed class KeyState
    {
        public TEvent? Latest;
        public TEvent? Pending;
        public long? LastSent;
        public ITimer? Timer;

        public void CancelTimer()
        {
            Timer?.Dispose();
            Timer = null;
        }
    }
}
