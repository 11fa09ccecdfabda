using System.Collections.Concurrent;

namespace SemiCmr.Web.Progress;

/// <summary>
/// The latest event of each run, import or build in progress on another instance, for late subscribers
/// (<see cref="RunProgressBroadcaster.Current"/>) as the throttle keeps it for local ones. A final event forgets the key.
/// An event older than <see cref="StaleAfter"/> no longer counts (its publisher may have died without a final event:
/// callers then read the stored row, which is the truth), and at most <see cref="MaxKeys"/> keys are kept.
/// </summary>
internal sealed class RemoteLatest<TEvent>(TimeProvider time) where TEvent : class
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);
    public const int MaxKeys = 4096;

    private readonly ConcurrentDictionary<int, (TEvent Event, long At)> latest = new();

    public TEvent? Current(int key) =>
        latest.TryGetValue(key, out var entry) && !IsStale(entry.At, time.GetTimestamp()) ? entry.Event : null;

    public void Remember(int key, TEvent progress, bool isFinal)
    {
        if (isFinal)
        {
            latest.TryRemove(key, out _);
            return;
        }
        if (!latest.ContainsKey(key) && latest.Count >= MaxKeys) ForgetStale();
        if (latest.ContainsKey(key) || latest.Count < MaxKeys) latest[key] = (progress, time.GetTimestamp());
    }

    private void ForgetStale()
    {
        long now = time.GetTimestamp();
        foreach (var (key, entry) in latest)
            if (IsStale(entry.At, now)) latest.TryRemove(key, out _);
    }

    private bool IsStale(long at, long now) => time.GetElapsedTime(at, now) >= StaleAfter;
}
