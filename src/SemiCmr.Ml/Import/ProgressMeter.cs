using System.Diagnostics;

namespace SemiCmr.Ml.Import;

/// <summary>Reports one phase's progress at most four times a second (plus its last step), with rate and time left.</summary>
internal sealed class ProgressMeter(IProgress<ImportProgress>? progress, string phase, int total)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private TimeSpan? _last;
    private int _done;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Counts one more finished item (thread-safe).</summary>
    public void Step() => Report(Interlocked.Increment(ref _done));

    public void Report(int done)
    {
        if (progress is null) return;
        lock (_gate)
        {
            var now = _clock.Elapsed;
            if (done < total && _last is { } last && now - last < Interval) return;
            _last = now;
            double seconds = now.TotalSeconds;
            double rate = seconds > 0 ? done / seconds : 0;
            TimeSpan? remaining = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : null;
            progress.Report(new ImportProgress(phase, done, total, rate, remaining));
        }
    }
}
