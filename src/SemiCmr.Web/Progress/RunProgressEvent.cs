using System.Text.Json;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Progress;

public sealed record RunMetricsDto(double MapI2T, double MapT2I, double? Stage1Accuracy, int? Labeled, double? SecondsStage1, double? SecondsStage2);

/// <summary>
/// What a watcher of a run receives as "progress": status and stage (camelCase names), the epoch within the stage,
/// overall progress 0..1 and the loss terms of the last epoch. The last event of a run has IsFinal set,
/// carries the metrics (succeeded) or the error (failed), and is never dropped by throttling.
/// </summary>
public sealed record RunProgressEvent(
    int RunId,
    string Status,
    string? Stage,
    int Epoch,
    int Epochs,
    double Progress,
    IReadOnlyDictionary<string, double> Loss,
    double? ValidationMap = null,
    bool IsFinal = false,
    RunMetricsDto? Metrics = null,
    string? Error = null)
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static RunMetricsDto? MetricsOf(Run run) =>
        run is { MapI2T: { } i2t, MapT2I: { } t2i }
            ? new RunMetricsDto(i2t, t2i, run.Stage1Accuracy, run.Labeled, run.SecondsStage1, run.SecondsStage2)
            : null;

    public static bool IsTerminal(RunStatus status) => status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted;

    /// <summary>The state stored in SQLite, for watchers that arrive when no live event is at hand.</summary>
    public static RunProgressEvent FromRow(Run run) => new(
        run.Id, Name(run.Status), run.Stage is { } stage ? Name(stage) : null, run.Epoch, run.Epochs, run.Progress,
        new Dictionary<string, double>(), null, IsTerminal(run.Status), MetricsOf(run), run.Error);
}
