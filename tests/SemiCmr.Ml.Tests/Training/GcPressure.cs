namespace SemiCmr.Ml.Tests.Training;

/// <summary>
/// Another thread that allocates and forces full collections with finalizers in a loop, as a busy
/// process does. A Scalar that nothing keeps alive while native code uses it is finalised (and freed)
/// within a few calls under this load instead of once in a thousand CI runs.
/// </summary>
internal sealed class GcPressure : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public GcPressure()
    {
        _thread = new Thread(Churn) { IsBackground = true, Name = "gc-pressure" };
        _thread.Start();
    }

    public long Collections { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Churn()
    {
        var keep = new object[64];
        for (int i = 0; !_stop.IsCancellationRequested; i++)
        {
            // Short-lived garbage of mixed sizes, some of it surviving a while, like a server's.
            for (int j = 0; j < 16; j++) keep[(i + j) % keep.Length] = new byte[(j % 16 + 1) * 512];
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Collections++;
        }
    }
}
