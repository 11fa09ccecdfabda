namespace SemiCmr.Web.Caching;

/// <summary>
/// A cached value held by one user (a query, a report being read): while any lease on it is open, an evicted or
/// invalidated value is not disposed. Dispose the lease when done (twice is harmless); do not keep the value after.
/// </summary>
public sealed class CacheLease<T> : IDisposable where T : class
{
    private Action? release;

    internal CacheLease(T value, Action release)
    {
        Value = value;
        this.release = release;
    }

    public T Value { get; }

    public void Dispose() => Interlocked.Exchange(ref release, null)?.Invoke();
}
