extern alias cli;

using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Runs;
using Spectre.Console;
using CliApp = cli::SemiCmr.Cli.SemiCmrApp;

namespace SemiCmr.Web.Tests;

/// <summary>
/// The queue of a team deployment (PostgreSQL): workers claim runs with a lease, a dead worker's runs come back or end
/// interrupted, a cancel on any instance reaches the worker, web instances with Worker:Enabled=false never train, and
/// `semicmr worker` is such a worker. Tests of PostgreSQL's queue skip on SQLite; the others run on both providers.
/// </summary>
public sealed class WorkerQueueTests
{
    private const string PostgresOnly = "the queue in the database (leases, SKIP LOCKED, several instances) is PostgreSQL's; SQLite keeps the in-process queue";
    private static readonly FeatureSampleSpec Spec = FeatureSampleSpec.SingleLabel with { TrainItems = 200, TestItems = 50 };
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_instance_with_the_worker_disabled_never_trains()
    {
        await using var app = SemiCmrApp.InTempFolders();
        app.Settings["Worker:Enabled"] = "false";
        app.Settings["Worker:PollSeconds"] = "0.05";
        int datasetId = await ImportSample(app);

        var run = await app.StartRun(new { datasetId, method = "cca", labelRatio = 1, seed = 1 });
        // A worker would have started it within one poll (or at once from the in-process queue); give it many.
        await Task.Delay(TimeSpan.FromSeconds(2), Cancel);

        var after = await app.WaitForRun(run.Id, _ => true);
        Assert.Equal((RunStatus.Queued, 0, null), (after.Status, after.Attempts, after.StartedAt));
    }

    [Fact]
    public async Task A_worker_without_the_datasets_files_fails_the_run_naming_the_folder_under_the_data_directory()
    {
        await using var app = SemiCmrApp.InTempFolders();
        int datasetId = await ImportSample(app);
        // As on a worker whose data folder is not the web instances' (no shared volume): the rows are there, the files not.
        string folder = Path.Combine(app.DataDirectory, "datasets", datasetId.ToString());
        Directory.Move(folder, folder + "-elsewhere");

        var run = await app.StartRun(new { datasetId, method = "cca", labelRatio = 1, seed = 1 });
        var failed = await app.WaitForRun(run.Id, r => r.Status is not (RunStatus.Queued or RunStatus.Running));

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal($"dataset {datasetId}'s files are not in this worker's data folder (datasets/{datasetId} under Data:Directory): "
                     + "Data:Directory must be the folder the web instances use (a shared volume)", failed.Error);
    }

    [Fact]
    public async Task Workers_claiming_at_once_never_get_the_same_run_and_skip_a_locked_one_without_waiting()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var app = SemiCmrApp.InTempFolders();
        app.Settings["Worker:Enabled"] = "false";
        int datasetId = await ImportSample(app);
        var queued = await InsertRuns(app, datasetId, 40, _ => { });
        var leases = app.Services.GetRequiredService<RunLeases>();

        // While one transaction holds the oldest queued run, a claim takes the next one instead of waiting for it.
        await using (var holder = await Db(app))
        {
            await using var transaction = await holder.Database.BeginTransactionAsync(Cancel);
            await holder.Database.SqlQuery<int>($"""SELECT "Id" AS "Value" FROM "Runs" WHERE "Id" = {queued[0]} FOR UPDATE""").ToListAsync(Cancel);
            var next = await leases.TryClaim("second-worker", Cancel).WaitAsync(TimeSpan.FromSeconds(10), Cancel);
            Assert.Equal(queued[1], next);
        }

        // Four workers claim the rest as fast as they can: every run once, none twice.
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var mine = new List<int>();
            while (await leases.TryClaim($"worker-{w}", Cancel) is { } id) mine.Add(id);
            return mine;
        }, Cancel)));
        int[] claimed = [.. claims.SelectMany(c => c)];
        Assert.Equal(queued.Where(id => id != queued[1]).Order(), claimed.Order());

        await using var db = await Db(app);
        var rows = await db.Runs.AsNoTracking().Where(r => queued.Contains(r.Id)).ToListAsync(Cancel);
        Assert.All(rows, r => Assert.Equal((RunStatus.Running, 1), (r.Status, r.Attempts)));
        Assert.All(rows, r => Assert.True(r.LeaseExpiresAt > DateTime.UtcNow, $"run {r.Id}'s lease is not in the future"));
        for (int w = 0; w < 4; w++)
            Assert.Equal(claims[w].Order(), rows.Where(r => r.WorkerId == $"worker-{w}").Select(r => r.Id).Order());
    }

    [Fact]
    public async Task Expired_leases_are_requeued_once_however_many_instances_recover_and_interrupted_after_the_last_attempt()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var app = SemiCmrApp.InTempFolders();
        app.Settings["Worker:Enabled"] = "false";
        app.Settings["Worker:RecoverySeconds"] = "3600"; // the recoveries below are this test's own
        app.Settings["Worker:MaxAttempts"] = "3";
        int datasetId = await ImportSample(app);
        var past = DateTime.UtcNow.AddMinutes(-1);
        void Dead(Run r, int attempts) => (r.Status, r.WorkerId, r.LeaseExpiresAt, r.Attempts, r.StartedAt, r.Progress) = (RunStatus.Running, "dead", past, attempts, past, 0.4);
        var retried = await InsertRuns(app, datasetId, 8, r => Dead(r, 1));
        var exhausted = await InsertRuns(app, datasetId, 2, r => Dead(r, 3));
        var cancelled = await InsertRuns(app, datasetId, 1, r => { Dead(r, 1); r.CancelRequestedAt = past; });
        var alive = await InsertRuns(app, datasetId, 1, r => { Dead(r, 1); r.LeaseExpiresAt = DateTime.UtcNow.AddMinutes(5); });

        var leases = app.Services.GetRequiredService<RunLeases>();
        var recovered = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => leases.RecoverExpired(Cancel), Cancel)));

        Assert.Equal((8, 2), (recovered.Sum(r => r.Requeued), recovered.Sum(r => r.Interrupted)));
        await using var db = await Db(app);
        var rows = await db.Runs.AsNoTracking().ToDictionaryAsync(r => r.Id, Cancel);
        Assert.All(retried, id => Assert.Equal((RunStatus.Queued, null, null, 1, 0.0, null), (rows[id].Status, rows[id].WorkerId, rows[id].LeaseExpiresAt, rows[id].Attempts, rows[id].Progress, rows[id].FinishedAt)));
        Assert.All(exhausted, id => Assert.Equal((RunStatus.Interrupted, "its worker stopped renewing its lease on each of its 3 attempts (Worker:MaxAttempts is 3)"),
            (rows[id].Status, rows[id].Error)));
        Assert.All(exhausted, id => Assert.NotNull(rows[id].FinishedAt));
        Assert.Equal(RunStatus.Cancelled, rows[cancelled[0]].Status);
        Assert.Equal((RunStatus.Running, "dead"), (rows[alive[0]].Status, rows[alive[0]].WorkerId));
        // Interrupted is terminal everywhere: the API lists it by that name and refuses to cancel it.
        var client = app.CreateClient();
        var listed = await client.GetFromJsonAsync<List<RunResponse>>("/api/runs?status=interrupted", Json.Options, Cancel);
        Assert.Equal(exhausted.Order(), listed!.Select(r => r.Id).Order());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{exhausted[0]}/cancel", null, Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_run_whose_worker_died_is_trained_again_from_the_start_by_another_worker()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var app = SemiCmrApp.InTempFolders();
        app.Settings["Worker:RecoverySeconds"] = "0.2";
        app.Settings["Worker:PollSeconds"] = "0.1";
        int datasetId = await ImportSample(app);
        // As a kill -9 leaves it: running, its lease run out, the epochs its first attempt committed.
        var past = DateTime.UtcNow.AddMinutes(-1);
        int id = (await InsertRuns(app, datasetId, 1, r =>
        {
            (r.Method, r.OptionsJson) = (Method.Sscmr, RunJson.Serialize(TrainingOptions.Default with { Stage1Epochs = 1, Stage2Epochs = 2 }));
            (r.Status, r.WorkerId, r.LeaseExpiresAt, r.Attempts, r.StartedAt) = (RunStatus.Running, "killed", past, 1, past);
        }))[0];
        await using (var db = await Db(app))
        {
            db.EpochMetrics.Add(new EpochMetric { RunId = id, Stage = Stage.CommonSpace, Epoch = 7, Epochs = 9, At = past });
            await db.SaveChangesAsync(Cancel);
        }

        var run = await app.WaitForRun(id, r => r.Status is not (RunStatus.Queued or RunStatus.Running), seconds: 120);

        Assert.Equal((RunStatus.Succeeded, 2), (run.Status, run.Attempts));
        var epochs = await app.CreateClient().GetFromJsonAsync<List<EpochResponse>>($"/api/runs/{id}/epochs", Json.Options, Cancel);
        Assert.DoesNotContain(epochs!, e => e.Epoch == 7);
        Assert.Equal(3, epochs!.Count);
    }

    [Fact]
    public async Task A_cancel_on_a_web_instance_stops_the_run_a_worker_instance_trains()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var web = SemiCmrApp.InTempFolders();
        web.Settings["Worker:Enabled"] = "false";
        int datasetId = await ImportSample(web);
        // A second instance on the same data folder and database: the only worker.
        await using var worker = new SemiCmrApp(web.DataDirectory, web.ImportRoot)
        {
            Settings = { ["Worker:PollSeconds"] = "0.1", ["Worker:RenewSeconds"] = "0.2", ["Worker:LeaseSeconds"] = "5" },
        };
        _ = worker.Services;

        var run = await web.StartRun(new { datasetId, method = "sscmr", labelRatio = 0.2, seed = 1, options = new { stage1Epochs = 1000, stage2Epochs = 1000 } });
        await web.WaitForRun(run.Id, r => r is { Status: RunStatus.Running, Epoch: > 0 }, seconds: 60);
        var cancel = await web.CreateClient().PostAsync($"/api/runs/{run.Id}/cancel", null, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode); // told to stop: the worker holding it sees the request when it renews its lease

        var cancelled = await web.WaitForRun(run.Id, r => r.Status != RunStatus.Running, seconds: 30);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.True(cancelled.Epoch < 1000, "the run trained to the end");
    }

    [Fact]
    public void The_worker_command_explains_itself()
    {
        var (exit, output) = CliSearchTests.CliRun("worker", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Train the runs queued in a team deployment's PostgreSQL database", output);
        Assert.Contains("--connection <CONNECTION>", output);
        Assert.Contains("--data <FOLDER>", output);
        Assert.Contains("data folder the web instances use", output);
        Assert.Contains("--device", output);
    }

    [Fact]
    public void The_worker_command_needs_a_database_and_a_data_folder()
    {
        var (exit, output) = CliSearchTests.CliRun("worker", "--data", Path.GetTempPath());
        Assert.Equal(2, exit);
        Assert.Contains("--connection is required", output);

        (exit, output) = CliSearchTests.CliRun("worker", "--connection", "Host=db;Database=semicmr", "--data", "/no/such/folder");
        Assert.Equal(2, exit);
        Assert.Contains("--data /no/such/folder is not a folder here", output);
    }

    [Fact]
    public async Task The_worker_command_trains_queued_runs_and_gives_the_run_in_hand_back_on_ctrl_c()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, PostgresOnly);
        await using var web = SemiCmrApp.InTempFolders();
        web.Settings["Worker:Enabled"] = "false";
        int datasetId = await ImportSample(web);
        string connection = web.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!;
        var quick = await web.StartRun(new { datasetId, method = "cca", labelRatio = 1, seed = 1 });

        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        using var ctrlC = new CancellationTokenSource();
        var worker = Task.Run(() => CliApp.Create(console).RunAsync(
            ["worker", "--connection", connection, "--data", web.DataDirectory, "--device", "cpu", "--threads", "1"], ctrlC.Token), Cancel);

        var trained = await web.WaitForRun(quick.Id, r => r.Status is not (RunStatus.Queued or RunStatus.Running), seconds: 120);
        Assert.Equal(RunStatus.Succeeded, trained.Status);
        var slow = await web.StartRun(new { datasetId, method = "sscmr", labelRatio = 0.2, seed = 1, options = new { stage1Epochs = 1000, stage2Epochs = 1000 } });
        await web.WaitForRun(slow.Id, r => r is { Status: RunStatus.Running, Epoch: > 0 }, seconds: 60);
        // The row's epoch is written before the throttled progress event is printed: wait for the printed line too.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !writer.ToString().Contains($"Run {slow.Id}: ") && DateTime.UtcNow < deadline;)
            await Task.Delay(50, Cancel);
        ctrlC.Cancel();
        int exit = await worker.WaitAsync(TimeSpan.FromSeconds(60), Cancel);

        string output = writer.ToString();
        Assert.Equal(0, exit);
        var host = new Npgsql.NpgsqlConnectionStringBuilder(connection);
        Assert.Contains($"PostgreSQL {host.Host}:{host.Port}/{host.Database}", output);
        Assert.Contains($"data folder {Path.GetFullPath(web.DataDirectory)}", output);
        Assert.Contains($"Claimed run {quick.Id}.", output);
        Assert.Contains($"Run {quick.Id} succeeded: MAP", output);
        Assert.Contains($"Claimed run {slow.Id}.", output);
        Assert.Contains($"Run {slow.Id}: ", output);
        Assert.Contains("Stopped.", output);
        // Ctrl+C gave the run back as if it had never started.
        await using var db = await Db(web);
        var given = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == slow.Id, Cancel);
        Assert.Equal((RunStatus.Queued, 0, null, null, null), (given.Status, given.Attempts, given.WorkerId, given.LeaseExpiresAt, given.StartedAt));
    }

    private static async Task<int> ImportSample(SemiCmrApp app)
    {
        int datasetId = await app.ImportFolder(FeatureSamples.Write(Path.Combine(app.ImportRoot, "features"), Spec), "features");
        Assert.Equal(DatasetStatus.Ready, (await app.WaitForDataset(datasetId)).Status);
        return datasetId;
    }

    private static Task<SemiCmrDb> Db(SemiCmrApp app) =>
        app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Cancel);

    /// <summary>Queued cca runs on the dataset, as RunCreator writes them, changed by <paramref name="shape"/>; their ids in order.</summary>
    private static async Task<List<int>> InsertRuns(SemiCmrApp app, int datasetId, int count, Action<Run> shape)
    {
        await using var db = await Db(app);
        var runs = Enumerable.Range(0, count).Select(_ => new Run
        {
            DatasetId = datasetId, Method = Method.Cca, LabelRatio = 1, Seed = 1, Status = RunStatus.Queued,
            OptionsJson = RunJson.Serialize(TrainingOptions.Default), CreatedAt = DateTime.UtcNow,
        }).ToList();
        runs.ForEach(shape);
        db.Runs.AddRange(runs);
        await db.SaveChangesAsync(Cancel);
        return [.. runs.Select(r => r.Id)];
    }
}
