using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Tests.Caching;

/// <summary>The one cache: bounded in bytes, least recently used out first, leased values disposed only when released.</summary>
public sealed class ResourceCacheTests : IDisposable
{
    private readonly ResourceCache cache = new(Options.Create(new CacheOptions { MaxBytes = 100 }), NullLogger<ResourceCache>.Instance);
    private readonly Dictionary<int, int> loads = [];
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => cache.Dispose();

    /// <summary>A value that records being disposed.</summary>
    private sealed class Resource(int id) : IDisposable
    {
        public int Id { get; } = id;
        public bool Disposed { get; private set; }

        public void Dispose()
        {
            Assert.False(Disposed, $"Resource {Id} was disposed twice.");
            Disposed = true;
        }
    }

    private Task<CacheLease<Resource>> Lease(int id, long bytes = 40, params CacheTag[] tags) =>
        cache.Lease(id, () =>
        {
            lock (loads) loads[id] = loads.GetValueOrDefault(id) + 1;
            return Task.FromResult(new Cached<Resource>(new Resource(id), bytes, tags));
        }, Cancel);

    /// <summary>Leases and releases at once, returning the value (to check on it later).</summary>
    private async Task<Resource> Use(int id, long bytes = 40, params CacheTag[] tags)
    {
        using var lease = await Lease(id, bytes, tags);
        return lease.Value;
    }

    [Fact]
    public async Task EntriesPastTheByteBoundAreDroppedAndDisposed()
    {
        var first = await Use(1);
        var second = await Use(2);
        var third = await Use(3);

        Assert.Equal(80, cache.Bytes);
        Assert.False(cache.Holds<Resource>(1));
        Assert.True(first.Disposed);
        Assert.False(second.Disposed || third.Disposed);
        Assert.Same(second, await Use(2));
        Assert.Equal(1, loads[2]);
    }

    [Fact]
    public async Task TheLeastRecentlyUsedGoesFirst()
    {
        var first = await Use(1);
        var second = await Use(2);
        await Use(1); // now 2 is the least recently used

        await Use(3);

        Assert.True(cache.Holds<Resource>(1));
        Assert.False(cache.Holds<Resource>(2));
        Assert.True(second.Disposed);
        Assert.False(first.Disposed);
    }

    [Fact]
    public async Task AnEvictedValueIsDisposedOnlyWhenItsLastLeaseIsReleased()
    {
        var held = await Lease(1);
        var again = await Lease(1);
        await Use(2);
        await Use(3); // evicts 1 while two leases hold it

        Assert.False(cache.Holds<Resource>(1));
        Assert.False(held.Value.Disposed);
        held.Dispose();
        held.Dispose(); // twice is harmless
        Assert.False(again.Value.Disposed);
        again.Dispose();
        Assert.True(again.Value.Disposed);
    }

    [Fact]
    public async Task ConcurrentRequestsForOneKeyShareOneLoad()
    {
        var gate = new TaskCompletionSource();
        int started = 0;
        Task<CacheLease<Resource>> Slow() => cache.Lease(1, async () =>
        {
            Interlocked.Increment(ref started);
            await gate.Task;
            return new Cached<Resource>(new Resource(1), 10, []);
        }, Cancel);

        var waiting = Enumerable.Range(0, 8).Select(_ => Slow()).ToList();
        gate.SetResult();
        var leases = await Task.WhenAll(waiting);

        Assert.Equal(1, started);
        Assert.All(leases, l => Assert.Same(leases[0].Value, l.Value));
        foreach (var lease in leases) lease.Dispose();
        Assert.False(leases[0].Value.Disposed);
        Assert.Equal(10, cache.Bytes);
    }

    [Fact]
    public async Task AFailedLoadReachesEveryWaiterAndIsNotCached()
    {
        var gate = new TaskCompletionSource();
        int attempts = 0;
        Task<CacheLease<Resource>> Failing() => cache.Lease<Resource>(1, async () =>
        {
            Interlocked.Increment(ref attempts);
            await gate.Task;
            throw new IOException("the file is gone");
        }, Cancel);

        var first = Failing();
        var second = Failing();
        gate.SetResult();

        Assert.Equal("the file is gone", (await Assert.ThrowsAsync<IOException>(() => first)).Message);
        await Assert.ThrowsAsync<IOException>(() => second);
        Assert.Equal(1, attempts);
        Assert.False(cache.Holds<Resource>(1));
        Assert.Equal(0, cache.Bytes);
        using var retried = await Lease(1);
        Assert.Equal(1, retried.Value.Id);
    }

    [Fact]
    public async Task InvalidatingATagDropsOnlyTheEntriesCarryingIt()
    {
        var labelsOfOne = await Use(1, 10, CacheTag.Run(1), CacheTag.Labels(1));
        var filesOfOne = await Use(2, 10, CacheTag.Dataset(1));
        var labelsOfTwo = await Use(3, 10, CacheTag.Labels(2));

        cache.Invalidate(CacheTag.Labels(1));

        Assert.Equal([false, true, true], new[] { 1, 2, 3 }.Select(cache.Holds<Resource>));
        Assert.True(labelsOfOne.Disposed);
        Assert.False(filesOfOne.Disposed || labelsOfTwo.Disposed);
        Assert.Equal(20, cache.Bytes);
        Assert.NotSame(labelsOfOne, await Use(1, 10, CacheTag.Labels(1)));
        Assert.Equal(2, loads[1]);
    }

    [Fact]
    public async Task AnInvalidatedValueStaysUsableUntilItsLeaseIsReleased()
    {
        var held = await Lease(1, 10, CacheTag.Run(1));

        cache.Invalidate(CacheTag.Run(1));

        Assert.False(held.Value.Disposed);
        held.Dispose();
        Assert.True(held.Value.Disposed);
    }

    [Fact]
    public async Task AnEntryInvalidatedWhileLoadingServesItsWaitersButIsNotKept()
    {
        var gate = new TaskCompletionSource();
        var loading = cache.Lease(1, async () =>
        {
            await gate.Task; // read before the annotation: stale once it lands
            return new Cached<Resource>(new Resource(1), 10, [CacheTag.Labels(7)]);
        }, Cancel);

        cache.Invalidate(CacheTag.Labels(99)); // its tags are not known yet: dropped whatever they are
        gate.SetResult();
        using (var lease = await loading)
        {
            Assert.False(lease.Value.Disposed);
            Assert.False(cache.Holds<Resource>(1));
            Assert.Equal(0, cache.Bytes);
        }

        Assert.True((await loading).Value.Disposed);
    }

    [Fact]
    public async Task AValueLargerThanTheBoundIsServedThenDisposedWithoutEvictingTheOthers()
    {
        var kept = await Use(1, 10);

        Resource huge;
        using (var lease = await Lease(2, 1000))
        {
            huge = lease.Value;
            Assert.False(huge.Disposed);
            Assert.False(cache.Holds<Resource>(2));
        }

        Assert.True(huge.Disposed);

        Assert.Equal(2, (await Use(2, 1000)).Id);
        Assert.Equal(2, loads[2]);
        Assert.True(cache.Holds<Resource>(1)); // not pushed out for a value that could not stay anyway
        Assert.False(kept.Disposed);
        Assert.Equal(10, cache.Bytes);
    }

    [Fact]
    public async Task AWaiterThatGivesUpLeavesTheLoadToFinishAndBeCached()
    {
        var gate = new TaskCompletionSource();
        using var giveUp = new CancellationTokenSource();
        var waiting = cache.Lease(1, async () =>
        {
            await gate.Task;
            return new Cached<Resource>(new Resource(1), 10, []);
        }, giveUp.Token);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        gate.SetResult();

        using var lease = await Lease(1);
        Assert.Equal(1, lease.Value.Id);
        Assert.False(loads.ContainsKey(1)); // served by the first load, not a second
    }

    [Fact]
    public async Task DisposingTheCacheDisposesWhatNoLeaseHoldsAndTheRestOnRelease()
    {
        var idle = await Use(1, 10);
        var held = await Lease(2, 10);

        cache.Dispose();

        Assert.True(idle.Disposed);
        Assert.False(held.Value.Disposed);
        held.Dispose();
        Assert.True(held.Value.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Lease(3));
    }
}
