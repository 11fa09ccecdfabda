using System.Collections.Concurrent;
using SemiCmr.Ml.Runtime;
using SemiCmr.Tests.Shared;

namespace SemiCmr.Ml.Tests.Runtime;

public sealed class BackgroundWorkTests
{
    [Fact]
    public void ForVisitsEveryIndexOnceOnAtMostTheGivenThreadsAllAtLowPriority()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread priorities are read from /proc");
        var visits = new ConcurrentBag<int>();
        var threads = new ConcurrentDictionary<int, int>();
        int running = 0, mostAtOnce = 0;

        BackgroundWork.For("test workers", 200, 3, i =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            threads[Environment.CurrentManagedThreadId] = OsThreads.CurrentNice();
            visits.Add(i);
            Thread.SpinWait(2000);
            Interlocked.Decrement(ref running);
        }, TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 200), visits.Order());
        Assert.InRange(threads.Count, 1, 3);
        Assert.InRange(mostAtOnce, 1, 3);
        Assert.All(threads.Values, nice => Assert.Equal(BackgroundWork.Niceness, nice));
        Assert.Equal(0, OsThreads.CurrentNice()); // the caller keeps its priority
    }

    [Fact]
    public void ForRethrowsTheBodysExceptionAsItWasAndStopsTheOtherThreads()
    {
        int visited = 0;
        var error = Assert.Throws<InvalidDataException>(() => BackgroundWork.For("test workers", 10_000, 2, i =>
        {
            Interlocked.Increment(ref visited);
            if (i == 5) throw new InvalidDataException("item 5 is broken");
            Thread.Sleep(1);
        }, TestContext.Current.CancellationToken));

        Assert.Equal("item 5 is broken", error.Message);
        Assert.True(visited < 10_000, $"{visited} items were visited after the failure");
    }

    [Fact]
    public void ForStopsWithCancellationWhenTheCallerCancels()
    {
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => BackgroundWork.For("test workers", 10_000, 2, i =>
        {
            if (i == 20) cancel.Cancel();
            Thread.Sleep(1);
        }, cancel.Token));
    }

    [Fact]
    public async Task RunReturnsTheResultFromALowPriorityThreadOfItsOwn()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread priorities are read from /proc");
        int caller = Environment.CurrentManagedThreadId;

        var (thread, nice, name) = await BackgroundWork.Run("test background", () => (Environment.CurrentManagedThreadId, OsThreads.CurrentNice(), Thread.CurrentThread.Name));

        Assert.NotEqual(caller, thread);
        Assert.Equal((BackgroundWork.Niceness, "test background"), (nice, name));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (int seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
