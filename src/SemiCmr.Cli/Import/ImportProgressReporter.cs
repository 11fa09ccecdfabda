using System.Globalization;
using SemiCmr.Ml.Import;
using Spectre.Console;

namespace SemiCmr.Cli.Import;

/// <summary>One Spectre task per import phase, with the rate and the time left in its description (task updates are thread-safe).</summary>
public sealed class ImportProgressReporter(ProgressContext context) : IProgress<ImportProgress>
{
    private readonly Dictionary<string, ProgressTask> tasks = [];
    private readonly Lock gate = new();

    public void Report(ImportProgress value)
    {
        lock (gate)
        {
            foreach (var (phase, task) in tasks)
                if (phase != value.Phase && !task.IsFinished) Finish(task);
            if (!tasks.TryGetValue(value.Phase, out var current))
                tasks[value.Phase] = current = context.AddTask(value.Phase, maxValue: Math.Max(1, value.Total));
            current.MaxValue = Math.Max(1, value.Total);
            current.Value = Math.Min(value.Done, current.MaxValue);
            current.Description = Describe(value);
        }
    }

    public void Complete()
    {
        lock (gate)
            foreach (var task in tasks.Values) Finish(task);
    }

    private static void Finish(ProgressTask task)
    {
        task.Value = task.MaxValue;
        task.StopTask();
    }

    private static string Describe(ImportProgress value)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{value.Phase} {value.Done}/{value.Total}");
        if (value.ItemsPerSecond > 0) text += string.Create(CultureInfo.InvariantCulture, $" · {value.ItemsPerSecond:F1}/s");
        if (value.Remaining is { } left) text += $" · {(int)left.TotalMinutes}:{left.Seconds:D2} left";
        return text.EscapeMarkup();
    }
}
