using SemiCmr.Ml.Import;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// Passes RawDatasetImporter's progress to the broadcaster as it happens (synchronously on the import thread;
/// the broadcaster throttles), and sends the final event of the import.
/// </summary>
public sealed class ImportProgressRelay(int datasetId, RunProgressBroadcaster broadcaster, TimeProvider time) : IProgress<ImportProgress>
{
    private readonly long started = time.GetTimestamp();

    public void Report(ImportProgress value) => broadcaster.PublishImport(new ImportProgressEvent(
        datasetId, "importing", value.Phase, value.Done, value.Total, value.ItemsPerSecond, value.Remaining?.TotalSeconds));

    public void Phase(string phase) =>
        broadcaster.PublishImport(new ImportProgressEvent(datasetId, "importing", phase, 0, 0, 0, null));

    public void Finish(string status, int items, int skipped, string? error)
    {
        double seconds = time.GetElapsedTime(started).TotalSeconds;
        broadcaster.PublishImport(new ImportProgressEvent(datasetId, status, "done", items, items,
            seconds > 0 ? items / seconds : 0, 0, IsFinal: true, ItemCount: items, Skipped: skipped, Error: error));
    }
}
