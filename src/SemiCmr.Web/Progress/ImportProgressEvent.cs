using SemiCmr.Web.Data;

namespace SemiCmr.Web.Progress;

/// <summary>
/// What a watcher of a dataset import receives as "importProgress": the phase ("queued", "extracting", "reading",
/// "images", "texts", "writing"), items done of total in that phase, the rate and the estimated time left.
/// The last event has IsFinal set with status ready or failed (and the error); it is never dropped by throttling.
/// </summary>
public sealed record ImportProgressEvent(
    int DatasetId,
    string Status,
    string Phase,
    int Done,
    int Total,
    double ItemsPerSecond,
    double? SecondsLeft,
    bool IsFinal = false,
    int? ItemCount = null,
    int? Skipped = null,
    string? Error = null)
{
    /// <summary>The state stored in SQLite, for watchers that arrive when no live event is at hand.</summary>
    public static ImportProgressEvent FromRow(Dataset dataset) => new(
        dataset.Id, RunProgressEvent.Name(dataset.Status), dataset.Status == DatasetStatus.Importing ? "queued" : "done",
        0, 0, 0, null, dataset.Status != DatasetStatus.Importing, dataset.ItemCount, dataset.Skipped.Count, dataset.Error);
}
