using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Demo;

/// <summary>
/// On the first start with an empty database (and Demo:Enabled), generates the shapes dataset, imports it
/// through the normal import job (TF-IDF text, fast) and queues a quick sscmr run through RunCreator, like any other run, so a fresh install has
/// something to search within a couple of minutes. A marker file in the data folder makes this happen once:
/// deleting the demo does not bring it back.
/// </summary>
public sealed class DemoSeeder(
    IOptions<DemoOptions> options, IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, ImportQueue imports, RunCreator runs,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    public const string DatasetName = "Shapes demo";

    /// <summary>Short on purpose: the demo should be searchable within a couple of minutes on two cores.</summary>
    public static readonly TrainingOptions RunOptions = TrainingOptions.Default with { Stage1Epochs = 20, Stage2Epochs = 20, BatchSize = 64 };

    private string Marker => Path.Combine(paths.DataDirectory, "demo-created");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || File.Exists(Marker)) return;
        string folder = Path.Combine(Path.GetTempPath(), "semicmr-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
                if (await db.Datasets.AnyAsync(stoppingToken)) return;
            await File.WriteAllTextAsync(Marker, DateTime.UtcNow.ToString("O"), stoppingToken);

            await Task.Run(() => SceneManifest.Write(folder), stoppingToken);
            int datasetId = await DatasetEndpoints.CreateImporting(dbFactory, DatasetName, "demo", null, "tfidf", Auth.Actor.Nobody, imports.Lease, stoppingToken);
            imports.Enqueue(new ImportJob(datasetId, Folder: folder, TextEncoder: "tfidf"));
            logger.LogInformation("Demo dataset {Id} generated ({Count} scenes) and queued for import", datasetId, SceneManifest.DefaultCount);

            if (await WaitForImport(datasetId, stoppingToken) is not { } itemCount) return;
            var created = await runs.Create(
                new CreateRunRequest(datasetId, Method.Sscmr.ToName(), LabelRatio: 0.3, Seed: 1, BudgetId: null, RunOptions), Auth.Actor.Nobody, stoppingToken);
            if (created.Problem is { } problem)
            {
                logger.LogError("The demo run was refused: {Problem}", problem.Message);
                return;
            }
            var run = created.Value!;
            logger.LogInformation("Demo dataset {Id} ready with {Items} items; demo run {RunId} queued", datasetId, itemCount, run.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not create the demo dataset");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<int?> WaitForImport(int datasetId, CancellationToken stoppingToken)
    {
        while (true)
        {
            await Task.Delay(250, stoppingToken);
            await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
            var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, stoppingToken);
            if (dataset is null) return null;
            if (dataset.Status == DatasetStatus.Ready) return dataset.ItemCount;
            if (dataset.Status == DatasetStatus.Failed)
            {
                logger.LogError("The demo dataset failed to import: {Problems}", string.Join("; ", dataset.Problems.Select(p => p.Message)));
                return null;
            }
        }
    }
}
