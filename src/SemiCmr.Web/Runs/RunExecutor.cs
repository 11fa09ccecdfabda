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

/// <summary>
/// Trains one run on the calling (training) thread and records its outcome; never throws. On SQLite it starts a run still
/// queued (the in-process queue's ids); on PostgreSQL the worker has claimed the run already (<see cref="RunLeases"/>) and
/// a <see cref="LeaseKeeper"/> renews the lease while it trains. Every end is recorded only while the run is still this
/// worker's and running, so a worker that lost its lease never overwrites what another instance decided.
/// </summary>
public sealed class RunExecutor(
    IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, RunCancellations cancellations, RunProgressBroadcaster broadcaster,
    IOptions<TrainingHostOptions> hostOptions, IOptions<DatabaseOptions> database, IOptions<WorkerOptions> workerOptions,
    RunLeases leases, WorkerIdentity worker, RunVectorWriter vectors, ILogger<RunExecutor> logger)
{
    public void Execute(int runId, CancellationToken stopping)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cancellations.Register(runId, cancellation);
        bool leased = database.Value.IsPostgres;
        using var lease = leased ? new LeaseKeeper(leases, runId, worker.Id, workerOptions.Value.Renew, cancellation, logger) : null;
        try
        {
            using var db = dbFactory.CreateDbContext();
            // SQLite: only a run still queued starts, so a cancel or delete that came first wins (PostgreSQL: the claim did this).
            if (!leased && db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Queued)
                    .ExecuteUpdate(s => s.SetProperty(r => r.Status, RunStatus.Running).SetProperty(r => r.StartedAt, DateTime.UtcNow)
                        .SetProperty(r => r.WorkerId, worker.Id).SetProperty(r => r.Attempts, r => r.Attempts + 1)) == 0)
                return;
            var run = db.Runs.Include(r => r.Budget).Single(r => r.Id == runId);
            broadcaster.Publish(RunProgressEvent.FromRow(run));

            var device = TorchRuntime.ResolveDevice(TorchRuntime.ParseDevice(hostOptions.Value.Device));
            run.Device = device.type.ToString().ToLowerInvariant();
            string datasetFolder = FeaturesFolder(run.DatasetId);
            // The labels read here are the ones the run trains and evaluates with: the run folder records them (labels.json).
            var items = DatabaseLabels.ItemsByRow(db, run.DatasetId).GetAwaiter().GetResult(); // the worker's own thread: nothing to return to
            var classes = db.Datasets.AsNoTracking().Where(d => d.Id == run.DatasetId).Select(d => d.Classes).Single();
            var dataset = DatabaseLabels.WithFeatures(datasetFolder, items, classes);
            run.Budget ??= CreateBudget(dataset, run);
            db.SaveChanges();

            var options = RunJson.Deserialize(run.OptionsJson);
            var reporter = new RunProgressReporter(runId, run.Method, options, dbFactory, broadcaster);
            using var trained = MethodRunner.Run(
                new TrainingRequest(dataset, run.Method, run.Budget.LabeledRows, options, run.Seed, device), reporter, cancellation.Token);

            string folder = paths.Run(runId), saving = folder + ".saving";
            DeleteFolder(saving);
            trained.Save(saving);
            if (lease?.Lost == true) throw new OperationCanceledException(cancellation.Token);
            DeleteFolder(folder);
            Directory.Move(saving, folder);
            vectors.Write(runId, folder, cancellation.Token); // PostgreSQL: searchable from any instance once succeeded

            var metrics = trained.Result.Metrics;
            var finishedAt = DateTime.UtcNow;
            if (Mine(db, runId).ExecuteUpdate(s => s
                    .SetProperty(r => r.MapI2T, metrics.MapI2T).SetProperty(r => r.MapT2I, metrics.MapT2I)
                    .SetProperty(r => r.Stage1Accuracy, metrics.Stage1Accuracy).SetProperty(r => r.Labeled, metrics.Labeled)
                    .SetProperty(r => r.SecondsStage1, metrics.SecondsStage1).SetProperty(r => r.SecondsStage2, metrics.SecondsStage2)
                    .SetProperty(r => r.ArtifactFolder, folder).SetProperty(r => r.Status, RunStatus.Succeeded).SetProperty(r => r.Progress, 1)
                    .SetProperty(r => r.FinishedAt, finishedAt).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null)) == 0)
            {
                logger.LogWarning("Run {RunId} finished training but is no longer this worker's; its result was not recorded", runId);
                return;
            }
            // The reporter wrote stage and epochs through its own context; read the row so the final event carries them.
            broadcaster.Publish(RunProgressEvent.FromRow(db.Runs.AsNoTracking().Single(r => r.Id == runId)));
            logger.LogInformation("Run {RunId} succeeded: MAP i2t {I2T:F4}, t2i {T2I:F4}", runId, metrics.MapI2T, metrics.MapT2I);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested || lease?.Lost == true)
        {
            if (lease?.Lost == true) logger.LogWarning("Run {RunId} stopped: another instance took it back", runId);
            else if (lease?.CancelRequested != true && stopping.IsCancellationRequested) Stopped(runId, leased);
            else Finish(runId, RunStatus.Cancelled, null);
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

    /// <summary>
    /// The dataset's feature files, or a failure naming the folder relative to Data:Directory: a worker on another machine
    /// whose data folder is not the web instances' (no shared volume) sees the rows but not the files.
    /// </summary>
    private string FeaturesFolder(int datasetId)
    {
        string folder = paths.Dataset(datasetId);
        string[] files = [FeatureDatasetReader.ImageFeaturesFile, FeatureDatasetReader.TextFeaturesFile];
        if (files.All(file => File.Exists(Path.Combine(folder, file)))) return folder;
        string relative = Path.GetRelativePath(paths.DataDirectory, folder).Replace('\\', '/');
        throw new DatasetFilesMissingException(
            $"dataset {datasetId}'s files are not in this worker's data folder ({relative} under Data:Directory): "
            + "Data:Directory must be the folder the web instances use (a shared volume)");
    }

    /// <summary>The run, if it is still this worker's and running: the only row an end may be written to.</summary>
    private IQueryable<Run> Mine(SemiCmrDb db, int runId) =>
        db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running && r.WorkerId == worker.Id);

    /// <summary>
    /// The process is stopping: on PostgreSQL the run goes back to the queue for another worker (the attempt not
    /// counted); on SQLite, where this process is the only worker, it is interrupted (a restart does the same to a run
    /// a crash left running).
    /// </summary>
    private void Stopped(int runId, bool leased)
    {
        if (!leased)
        {
            Finish(runId, RunStatus.Interrupted, "interrupted by shutdown");
            return;
        }
        try
        {
            DeleteFolder(paths.Run(runId) + ".saving");
            if (leases.GiveBack(runId, worker.Id).GetAwaiter().GetResult())
                logger.LogInformation("Run {RunId} given back to the queue: this worker is stopping", runId);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not give run {RunId} back; its lease will expire and another worker will take it", runId);
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
            using var db = dbFactory.CreateDbContext();
            var finishedAt = DateTime.UtcNow;
            if (Mine(db, runId).ExecuteUpdate(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.Error, error)
                    .SetProperty(r => r.FinishedAt, finishedAt).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null)) == 0)
                return;
            DeleteFolder(paths.Run(runId) + ".saving");
            broadcaster.Publish(RunProgressEvent.FromRow(db.Runs.AsNoTracking().Single(r => r.Id == runId)));
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

/// <summary>The worker cannot read a dataset's feature files; the message names the folder relative to Data:Directory.</summary>
public sealed class DatasetFilesMissingException(string message) : Exception(message);
