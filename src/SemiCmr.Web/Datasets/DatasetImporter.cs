using Microsoft.EntityFrameworkCore;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// Runs imports one at a time: files go to a staging folder, FeatureDatasetReader validates them, items go
/// to SQLite, and only then does the staging folder become data/datasets/{id}. Any failure removes the files
/// and keeps every problem on the dataset row.
/// </summary>
public sealed class DatasetImporter(
    ImportQueue queue, IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, ILogger<DatasetImporter> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var dataset in await db.Datasets.Where(d => d.Status == DatasetStatus.Importing).ToListAsync(cancellationToken))
        {
            dataset.Status = DatasetStatus.Failed;
            dataset.Error = "interrupted by restart";
            DeleteFolder(Staging(dataset.Id));
            DeleteFolder(paths.Dataset(dataset.Id));
        }
        await db.SaveChangesAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                // Reading and validating is CPU-bound: keep it off the request threads' way.
                await Task.Run(() => Import(job, stoppingToken), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Import of dataset {Id} crashed", job.DatasetId);
            }
            finally
            {
                if (job.ZipFile is not null) File.Delete(job.ZipFile);
            }
        }
    }

    private async Task Import(ImportJob job, CancellationToken cancellationToken)
    {
        string staging = Staging(job.DatasetId);
        try
        {
            DeleteFolder(staging);
            if (job.ZipFile is not null)
                FeatureFiles.ExtractZip(job.ZipFile, job.ZipPrefix, staging);
            else
                CopyFeatureFiles(job.Folder!, staging);

            var dataset = FeatureDatasetReader.Read(staging);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var row = await db.Datasets.FindAsync([job.DatasetId], cancellationToken);
            if (row is null) { DeleteFolder(staging); return; } // deleted while importing

            row.Items = dataset.Items.Select((item, index) => new Item
            {
                Row = index, ExternalId = item.Id, Split = item.Split, Labels = item.Labels.ToList(),
                ImagePath = item.Image, Text = item.Text,
            }).ToList();
            row.Classes = dataset.ClassNames.ToList();
            row.ItemCount = dataset.Items.Count;
            row.ImageDim = dataset.ImageFeatures.Columns;
            row.TextDim = dataset.TextFeatures.Columns;
            row.IsMultiLabel = dataset.IsMultiLabel;
            row.Status = DatasetStatus.Ready;
            row.ReadyAt = DateTime.UtcNow;
            DeleteFolder(paths.Dataset(job.DatasetId));
            Directory.Move(staging, paths.Dataset(job.DatasetId));
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Dataset {Id} imported: {Items} items", job.DatasetId, row.ItemCount);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DeleteFolder(staging);
            DeleteFolder(paths.Dataset(job.DatasetId));
            var problems = e is DatasetValidationException invalid
                ? invalid.Problems.Select(ImportProblem.From).ToList()
                : [new ImportProblem { File = "(import)", Message = e.Message }];
            await MarkFailed(job.DatasetId, problems, cancellationToken);
            logger.LogInformation("Dataset {Id} refused with {Count} problem(s)", job.DatasetId, problems.Count);
        }
    }

    private async Task MarkFailed(int id, List<ImportProblem> problems, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Datasets.FindAsync([id], cancellationToken);
        if (row is null) return;
        row.Status = DatasetStatus.Failed;
        row.Problems = problems;
        row.Error = $"The dataset has {problems.Count} problem(s); nothing was imported.";
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void CopyFeatureFiles(string folder, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in FeatureFiles.Required)
            File.Copy(Path.Combine(folder, file), Path.Combine(target, file));
    }

    private string Staging(int id) => paths.Dataset(id) + ".importing";

    internal static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
