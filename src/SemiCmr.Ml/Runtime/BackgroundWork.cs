using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace SemiCmr.Ml.Runtime;

/// <summary>
/// CPU-bound background work (imports, training) on dedicated threads that yield the CPU to requests: each
/// thread runs at a lower OS priority (nice 10 on Linux, BelowNormal elsewhere), so a search arriving during an
/// import is scheduled first instead of queueing behind image decoding. Never lower a thread-pool thread: the
/// pool would hand it to requests afterwards.
/// </summary>
public static class BackgroundWork
{
    /// <summary>The niceness of background threads on Linux (0 is normal, 19 the lowest priority).</summary>
    public const int Niceness = 10;

    /// <summary>Runs <paramref name="work"/> on a new low-priority thread called <paramref name="name"/>.</summary>
    /// <remarks>The thread takes its name once it runs low, so a thread of that name is never seen at normal priority.</remarks>
    public static Task<T> Run<T>(string name, Func<T> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerCurrentThread();
            Thread.CurrentThread.Name = name;
            try { result.SetResult(work()); }
            catch (Exception e) { result.SetException(e); }
        })
        { IsBackground = true };
        thread.Start();
        return result.Task;
    }

    /// <summary>
    /// Calls <paramref name="body"/> for 0..count-1 on <paramref name="threads"/> new low-priority threads and waits
    /// for them. The first exception stops the loop and is rethrown as it was (cancellation as cancellation).
    /// </summary>
    public static void For(string name, int count, int threads, Action<int> body, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int next = -1;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, Math.Clamp(count, 1, threads)).Select(_ => Run(name, () =>
        {
            for (int i; !failed.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < count;)
            {
                try { body(i); }
                catch { failed.Cancel(); throw; }
            }
            return true;
        })).ToArray();
        try { Task.WaitAll(workers); }
        catch (AggregateException) { }
        cancellationToken.ThrowIfCancellationRequested();
        if (workers.Select(w => w.Exception?.InnerException).FirstOrDefault(e => e is not null) is { } first)
            ExceptionDispatchInfo.Throw(first);
    }

    /// <summary>
    /// Lowers the calling thread's priority. On Linux the nice value is per thread and inherited by the threads it
    /// creates afterwards, so the ONNX Runtime and OpenMP pools a background thread starts run low as well.
    /// </summary>
    public static void LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux())
        {
            // Raising one's own niceness needs no privilege; a failure (or a libc without these calls) only leaves
            // the thread at normal priority, never the work undone.
            try { _ = SetPriority(PriorityWhichProcess, GetThreadId(), Niceness); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
            return;
        }
        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
    }

    private const int PriorityWhichProcess = 0; // PRIO_PROCESS with a thread id addresses that thread alone

    // glibc by its soname: "libc" alone would first find libc.so, a linker script that only libc6-dev installs.
    // Plain int signatures: nothing to marshal, so DllImport needs no generated stubs or unsafe code.
    private const string Libc = "libc.so.6";

    [DllImport(Libc, EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport(Libc, EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
