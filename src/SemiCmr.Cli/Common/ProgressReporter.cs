using System.Globalization;
using SemiCmr.Ml.Training;
using Spectre.Console;

namespace SemiCmr.Cli.Common;

/// <summary>
/// Shows a run's <see cref="TrainingProgress"/> in a Spectre progress display: one task per stage,
/// advanced per epoch, with the latest loss in its description. Report is called synchronously on the
/// training thread (deliberately not System.Progress, which would post to the thread pool);
/// Spectre's task updates are thread-safe and its own refresh loop redraws.
/// </summary>
public sealed class ProgressReporter(ProgressContext context, string prefix = "") : IProgress<TrainingProgress>
{
    private readonly Dictionary<Stage, ProgressTask> _tasks = [];

    public void Report(TrainingProgress value)
    {
        // A report for a later stage means the earlier ones are over (cca has no epochs at all).
        foreach (var (stage, task) in _tasks)
            if (stage < value.Stage) Finish(task);

        if (!_tasks.TryGetValue(value.Stage, out var current))
        {
            current = context.AddTask(Describe(value), maxValue: Math.Max(1, value.Epochs));
            _tasks[value.Stage] = current;
        }
        current.MaxValue = Math.Max(1, value.Epochs);
        current.Value = value.Stage == Stage.Evaluation ? 0 : value.Epoch;
        current.IsIndeterminate = value.Stage == Stage.Evaluation;
        current.Description = Describe(value);
    }

    /// <summary>Marks every stage done once the run has returned.</summary>
    public void Complete()
    {
        foreach (var task in _tasks.Values) Finish(task);
    }

    private static void Finish(ProgressTask task)
    {
        task.IsIndeterminate = false;
        task.Value = task.MaxValue;
        task.StopTask();
    }

    private string Describe(TrainingProgress value)
    {
        var text = prefix + StageName(value.Stage);
        if (value.Stage != Stage.Evaluation)
            text += $" {value.Epoch}/{value.Epochs}";
        if (value.Losses.TryGetValue("total", out var loss))
            text += " loss " + loss.ToString("F4", CultureInfo.InvariantCulture);
        // After training the runner reports the test-split MAP in the same field.
        if (value.ValidationMap is { } map)
            text += (value.Stage == Stage.Evaluation ? " test MAP " : " val MAP ") + map.ToString("F3", CultureInfo.InvariantCulture);
        return text.EscapeMarkup();
    }

    public static string StageName(Stage stage) => stage switch
    {
        Stage.LabelPrediction => "stage 1 (labels)",
        Stage.CommonSpace => "stage 2 (common space)",
        _ => "evaluation",
    };
}
