using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Runtime;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Api;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Search;
using MlBudget = SemiCmr.Ml.Budget.LabelBudget;

namespace SemiCmr.Web.Runs;

/// <summary>Trains one run on the calling (training) thread and records its outcome; never throws.</summary>
public sealed class RunExecutor(
    IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, RunCancellations cancellations, RunProgressBroadcaster broadcaster,
    IOptions<TrainingHostOptions> hostOptions, RunVectorWriter vectors, ILogger<RunExecutor> logger)
{
    public void Execute(int runId, CancellationToken stopping)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cancellations.Register(runId, cancellation);
        try
        {
            using var db = dbFactory.CreateDbContext();
            // Only a run still queued starts: a cancel or delete that came first wins.
            int started = db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
                .ExecuteUpdate(s => s.SetProperty(r => r.Status, RunStatus.Running).SetProperty(r => r.StartedAt, DateTime.UtcNow));
            if (started == 0) return;
            var run = db.Runs.Include(r => r.Budget).Single(r => r.Id == runId);
            broadcaster.Publish(RunProgressEvent.FromRow(run));

            var device = TorchRuntime.ResolveDevice(TorchRuntime.ParseDevice(hostOptions.Value.Device));
            run.Device = device.type.ToString().ToLowerInvariant();
            // The labels read here are the ones the run trains and evaluates with: the run folder records them (labels.json).
            var items = DatabaseLabels.ItemsByRow(db, run.DatasetId).GetAwaiter().GetResult(); // the worker's own thread: nothing to return to
            var classes = db.Datasets.AsNoTracking().Where(d => d.Id == run.DatasetId).Select(d => d.Classes).Single();
            var dataset = DatabaseLabels.WithFeatures(paths.Dataset(run.DatasetId), items, classes);
            run.Budget ??= CreateBudget(dataset, run);
            db.SaveChanges();

            var options = RunJson.Deserialize(run.OptionsJson);
            var reporter = new RunProgressReporter(runId, run.Method, options, dbFactory, broadcaster);
            using var trained = MethodRunner.Run(
                new TrainingRequest(dataset, run.Method, run.Budget.LabeledRows, options, run.Seed, device), reporter, cancellation.Token);

            string folder = paths.Run(runId), saving = folder + ".saving";
            DeleteFolder(saving);
            trained.Save(saving);
            DeleteFolder(folder);
            Directory.Move(saving, folder);
            vectors.Write(runId, folder, cancellation.Token); // PostgreSQL: searchable from any instance once succeeded

            // The reporter wrote stage and epochs through its own context; reload so the final event carries them.
            db.Entry(run).Reload();
            var metrics = trained.Result.Metrics;
            run.MapI2T = metrics.MapI2T;
            run.MapT2I = metrics.MapT2I;
            run.Stage1Accuracy = metrics.Stage1Accuracy;
            run.Labeled = metrics.Labeled;
            run.SecondsStage1 = metrics.SecondsStage1;
            run.SecondsStage2 = metrics.SecondsStage2;
            run.ArtifactFolder = folder;
            run.Status = RunStatus.Succeeded;
            run.Progress = 1;
            run.FinishedAt = DateTime.UtcNow;
            db.SaveChanges();
            broadcaster.Publish(RunProgressEvent.FromRow(run));
            logger.LogInformation("Run {RunId} succeeded: MAP i2t {I2T:F4}, t2i {T2I:F4}", runId, metrics.MapI2T, metrics.MapT2I);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Finish(runId, stopping.IsCancellationRequested ? RunStatus.Failed : RunStatus.Cancelled,
                stopping.IsCancellationRequested ? "interrupted by shutdown" : null);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Run {RunId} failed", runId);
            Finish(runId, RunStatus.Failed, UserMessages.Clean(e.Message));
        }
        finally
        {
            cancellations.Unregister(runId);
        }
    }

    private static Data.LabelBudget CreateBudget(FeatureDataset dataset, Run run) => new()
    {
        DatasetId = run.DatasetId, Kind = BudgetKind.Ratio, Ratio = run.LabelRatio, Seed = run.Seed,
        LabeledRows = MlBudget.ByRatio(dataset, run.LabelRatio, run.Seed).ToList(), CreatedAt = DateTime.UtcNow,
    };

    private void Finish(int runId, RunStatus status, string? error)
    {
        try
        {
            DeleteFolder(paths.Run(runId) + ".saving");
            using var db = dbFactory.CreateDbContext();
            var run = db.Runs.FirstOrDefault(r => r.Id == runId);
            if (run is null) return;
            run.Status = status;
            run.Error = error;
            run.FinishedAt = DateTime.UtcNow;
            db.SaveChanges();
            broadcaster.Publish(RunProgressEvent.FromRow(run));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not record the end of run {RunId}", runId);
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
