using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;
using SemiCmr.Ml.Runtime;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// Runs imports one at a time: a zip is extracted to a source folder, RawDatasetImporter turns the source (any
/// layout) into a stored dataset in a staging folder, items go to SQLite, and only then does the staging folder
/// become data/datasets/{id}. Any failure removes the files and keeps every problem on the dataset row.
/// An import cut short by a crash: on SQLite (one app) the next start fails it; on PostgreSQL other instances may be
/// importing, so it fails once its lease expires (<see cref="ImportLeases"/>).
/// </summary>
public sealed class DatasetImporter(
    ImportQueue queue, IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, RunProgressBroadcaster broadcaster,
    IOptions<ImportOptions> importOptions, TimeProvider time, ILogger<DatasetImporter> logger) : BackgroundService
{
    /// <summary>The import's own thread (its image workers are named "SemiCmr images").</summary>
    public const string ThreadName = "SemiCmr import";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // PostgreSQL: an Importing dataset may be another instance's import in progress; ImportLeases fails it once its lease expires.
        if (!db.Database.IsNpgsql())
        {
            foreach (var dataset in await db.Datasets.Where(d => d.Status == DatasetStatus.Importing).ToListAsync(cancellationToken))
            {
                dataset.Status = DatasetStatus.Failed;
                dataset.Error = "interrupted by restart";
                await RemoveWhatTheImportWrote(db, paths, dataset.Id, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await Import(job, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Import of dataset {Id} crashed", job.DatasetId);
            }
            finally
            {
                queue.Done(job.DatasetId);
                if (job.ZipFile is not null) File.Delete(job.ZipFile);
                DeleteFolder(Extracted(job.DatasetId));
            }
        }
    }

    private async Task Import(ImportJob job, CancellationToken cancellationToken)
    {
        string staging = Staging(job.DatasetId);
        var progress = new ImportProgressRelay(job.DatasetId, broadcaster, time);
        try
        {
            DeleteFolder(staging);
            // Extracting, decoding and encoding run on low-priority threads of their own, so searches keep their CPU.
            var (report, dataset) = await BackgroundWork.Run(ThreadName, () => ReadSource(job, staging, progress, cancellationToken));

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // Deleted while importing, or (PostgreSQL) failed by another instance because this one stalled past its lease.
            if (!await db.Datasets.AnyAsync(d => d.Id == job.DatasetId && d.Status == DatasetStatus.Importing, cancellationToken)) { DeleteFolder(staging); return; }
            // Rows of an import that fails from here on are removed below, or at the next start (StartAsync), or on
            // PostgreSQL by whichever instance finds its lease expired (ImportLeases).
            await ItemRows.Insert(dbFactory, job.DatasetId, dataset.Items, progress, time, cancellationToken);

            var row = await db.Datasets.FindAsync([job.DatasetId], cancellationToken);
            if (row is null) { DeleteFolder(staging); return; }
            if (row.Status != DatasetStatus.Importing)
            {
                // PostgreSQL: this instance stalled past its lease and another one failed the import (and removed its
                // rows and folders, perhaps before the rows above were written): leave its verdict and what it removed alone.
                await ItemRows.DeleteAll(db, job.DatasetId, cancellationToken);
                DeleteFolder(staging);
                logger.LogWarning("Dataset {Id}: the import lease was lost (another instance failed it); its import is dropped", job.DatasetId);
                return;
            }
            row.Classes = dataset.ClassNames.ToList();
            row.ItemCount = dataset.Items.Count;
            row.ImageDim = dataset.ImageDim;
            row.TextDim = dataset.TextDim;
            row.IsMultiLabel = dataset.IsMultiLabel;
            row.Format = report.Format;
            row.TextEncoder = report.TextEncoder;
            row.ImageEncoder = report.ImageEncoder;
            row.Skipped = report.Skipped.Select(s => new SkippedImportItem { Item = s.Item, File = s.File, Reason = s.Reason }).ToList();
            row.Truncated = report.Truncated.Select(t => new TruncatedImportItem { Item = t.Item, File = t.File, Chars = t.Chars }).ToList();
            row.Status = DatasetStatus.Ready;
            row.ReadyAt = DateTime.UtcNow;
            row.ImportLeaseExpiresAt = null;
            DeleteFolder(paths.Dataset(job.DatasetId));
            Directory.Move(staging, paths.Dataset(job.DatasetId));
            await db.SaveChangesAsync(cancellationToken);
            progress.Finish("ready", row.ItemCount, row.Skipped.Count, null);
            logger.LogInformation("Dataset {Id} imported ({Format}): {Items} items, {Skipped} skipped, {Seconds:F1} s ({Rate:F1} images/s)",
                job.DatasetId, report.Format, row.ItemCount, row.Skipped.Count, report.Seconds, report.ImagesPerSecond);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            DeleteFolder(staging);
            DeleteFolder(paths.Dataset(job.DatasetId));
            var problems = e is DatasetValidationException invalid
                ? invalid.Problems.Select(ImportProblem.From).ToList()
                : [new ImportProblem { File = job.ZipFile is null ? "(import)" : "(zip)", Message = UserMessages.Clean(e.Message) }];
            string error = await MarkFailed(job.DatasetId, problems, cancellationToken);
            progress.Finish("failed", 0, 0, error);
            logger.LogInformation("Dataset {Id} refused with {Count} problem(s)", job.DatasetId, problems.Count);
        }
    }

    private (ImportReport, FeatureDatasetSummary) ReadSource(ImportJob job, string staging, ImportProgressRelay progress, CancellationToken cancellationToken)
    {
        string source = job.Folder ?? Extracted(job.DatasetId);
        if (job.ZipFile is not null)
        {
            progress.Phase("extracting");
            DeleteFolder(source);
            SourceFiles.ExtractZip(job.ZipFile, job.ZipPrefix, source, importOptions.Value, cancellationToken);
            File.Delete(job.ZipFile); // extracted: gone before the dataset can be ready (ExecuteAsync's finally covers failures)
            if (RawDatasetImporter.DetectFormat(source) is null)
                throw new DatasetValidationException([new DatasetProblem("(zip)", null, null, $"no dataset was found in the zip: {SourceFiles.Layouts}")]);
        }
        var settings = new RawImportSettings(TextEncoder: job.TextEncoder == "tfidf" ? TextEncoderKind.Tfidf : TextEncoderKind.MiniLm,
            ReadableRoots: [source, .. paths.AllowedRoots], MaxTextChars: importOptions.Value.MaxTextChars,
            Threads: importOptions.Value.EffectiveThreads);
        var report = RawDatasetImporter.Import(source, staging, settings, progress, cancellationToken);
        return (report, FeatureDatasetReader.ReadSummary(staging));
    }

    private async Task<string> MarkFailed(int id, List<ImportProblem> problems, CancellationToken cancellationToken)
    {
        string error = $"The dataset has {problems.Count} problem(s); nothing was imported.";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Datasets.FindAsync([id], cancellationToken);
        if (row is null) return error;
        await ItemRows.DeleteAll(db, id, cancellationToken); // written before the failure
        if (row.Status != DatasetStatus.Importing) return row.Error ?? error; // failed already by another instance (lease lost)
        row.Status = DatasetStatus.Failed;
        row.ImportLeaseExpiresAt = null;
        row.Problems = problems;
        row.Error = error;
        await db.SaveChangesAsync(cancellationToken);
        return error;
    }

    private string Staging(int id) => Staging(paths, id);

    private string Extracted(int id) => Extracted(paths, id);

    private static string Staging(AppPaths paths, int id) => paths.Dataset(id) + ".importing";

    private static string Extracted(AppPaths paths, int id) => paths.Dataset(id) + ".source";

    /// <summary>An interrupted import's item rows and folders (staging, extracted source, dataset), so it leaves nothing behind.</summary>
    internal static async Task RemoveWhatTheImportWrote(SemiCmrDb db, AppPaths paths, int id, CancellationToken cancellationToken)
    {
        await ItemRows.DeleteAll(db, id, cancellationToken);
        DeleteFolder(Staging(paths, id));
        DeleteFolder(Extracted(paths, id));
        DeleteFolder(paths.Dataset(id));
    }

    internal static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
