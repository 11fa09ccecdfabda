using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

public sealed class RestartTests
{
    private static readonly FeatureSampleSpec Spec = FeatureSampleSpec.SingleLabel with { TrainItems = 400, TestItems = 100 };

    [Fact]
    public async Task RestartInterruptsTheRunningRunRequeuesTheQueuedOneAndKeepsEverythingElse()
    {
        int datasetId, interruptedId, queuedId;
        var first = SemiCmrApp.InTempFolders();
        await using (first)
        {
            datasetId = await first.ImportFolder(FeatureSamples.Write(Path.Combine(first.ImportRoot, "features"), Spec));
            await first.WaitForDataset(datasetId);
            // As a crash would leave them: one run mid-training, one still waiting in the (in-memory) queue.
            var dbFactory = first.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>();
            await using var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken);
            var interrupted = NewRun(datasetId, Method.Sscmr, RunStatus.Running);
            // PostgreSQL: its worker died holding it after its last allowed attempt (Worker:MaxAttempts is 3 by default).
            (interrupted.WorkerId, interrupted.LeaseExpiresAt, interrupted.Attempts) = ("dead-worker", DateTime.UtcNow.AddMinutes(-1), 3);
            var queued = NewRun(datasetId, Method.Cca, RunStatus.Queued);
            db.Runs.AddRange(interrupted, queued);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            (interruptedId, queuedId) = (interrupted.Id, queued.Id);
        }

        await using var second = new SemiCmrApp(first.DataDirectory, first.ImportRoot) { Settings = { ["Worker:RecoverySeconds"] = "0.2" } };
        var client = second.CreateClient();
        // SQLite: the restart interrupts it. PostgreSQL: other workers may be training, so a run is taken back only once
        // its lease has expired, and this one had had its last attempt.
        var interruptedRun = await second.WaitForRun(interruptedId, r => r.Status != RunStatus.Running, seconds: 10);
        Assert.Equal(RunStatus.Interrupted, interruptedRun.Status);
        Assert.Equal(TestDatabase.IsPostgres ? "its worker stopped renewing its lease on each of its 3 attempts (Worker:MaxAttempts is 3)" : "interrupted by restart",
            interruptedRun.Error);
        var requeued = await second.WaitForRun(queuedId, r => r.Status is RunStatus.Succeeded or RunStatus.Failed);
        Assert.Equal(RunStatus.Succeeded, requeued.Status);
        var dataset = await second.WaitForDataset(datasetId);
        Assert.Equal((DatasetStatus.Ready, Spec.TrainItems + Spec.TestItems), (dataset.Status, dataset.ItemCount));

        // Deleting the dataset takes its runs and every file with it.
        string runFolder = Path.Combine(second.DataDirectory, "runs", queuedId.ToString());
        Assert.True(Directory.Exists(runFolder));
        var deleted = await client.DeleteAsync($"/api/datasets/{datasetId}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False(Directory.Exists(runFolder));
        Assert.False(Directory.Exists(Path.Combine(second.DataDirectory, "datasets", datasetId.ToString())));
        Assert.Empty((await client.GetFromJsonAsync<List<RunResponse>>("/api/runs", Json.Options, TestContext.Current.CancellationToken))!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/datasets/{datasetId}", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task RestartRemovesWhatACrashLeftBehindAndKeepsRealDatasetsAndRuns()
    {
        int datasetId, runId;
        var first = SemiCmrApp.InTempFolders();
        await using (first)
        {
            datasetId = await first.ImportFolder(TinyDatasets.Write(first.ImportRoot, "kept"), "kept");
            await first.WaitForDataset(datasetId);
            var run = NewRun(datasetId, Method.Cca, RunStatus.Succeeded);
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
            db.Runs.Add(run);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            runId = run.Id;
        }
        string data = first.DataDirectory;
        string Folder(params string[] parts) => Directory.CreateDirectory(Path.Combine([data, .. parts])).FullName;
        string runFolder = Folder("runs", runId.ToString());
        File.WriteAllText(Path.Combine(runFolder, "model.bin"), "weights");
        File.WriteAllText(Path.Combine(Folder("uploads"), "0123abcd.zip"), "half an upload");
        string[] leftovers =
        [
            Path.Combine(data, "uploads", "0123abcd.zip"),
            Folder("runs", $"{runId}.saving"), Folder("runs", "998"), Folder("runs", "997.deleting"),
            Folder("datasets", $"{datasetId}.importing"), Folder("datasets", $"{datasetId}.source"), Folder("datasets", "999"),
            Folder("datasets", "996.deleting"),
        ];
        foreach (var folder in leftovers.Where(Directory.Exists)) File.WriteAllText(Path.Combine(folder, "part"), "x");
        string notOurs = Folder("datasets", "notes");
        string? busy = null;
        if (TestDatabase.IsPostgres)
        {
            // A shared data folder: only what nobody has written to for a day is a leftover; a fresh one may be another
            // instance's import in progress and stays.
            foreach (var path in leftovers) Directory.SetLastWriteTimeUtc(path, DateTime.UtcNow - LeftoverFiles.SharedQuietTime - TimeSpan.FromHours(1));
            busy = Folder("datasets", "995.importing");
        }

        await using var second = new SemiCmrApp(first.DataDirectory, first.ImportRoot);
        var dataset = await second.WaitForDataset(datasetId);

        Assert.All(leftovers, path => Assert.False(Path.Exists(path), $"{path} is still there"));
        Assert.Equal((DatasetStatus.Ready, 4), (dataset.Status, dataset.ItemCount));
        Assert.True(File.Exists(Path.Combine(data, "datasets", datasetId.ToString(), "items.csv")));
        Assert.Equal("weights", File.ReadAllText(Path.Combine(runFolder, "model.bin")));
        Assert.True(Directory.Exists(notOurs));
        if (busy is not null) Assert.True(Directory.Exists(busy), "a fresh folder in a shared data folder was removed");
    }

    private static Run NewRun(int datasetId, Method method, RunStatus status) => new()
    {
        DatasetId = datasetId, Method = method, LabelRatio = 0.1, Seed = 1, Status = status,
        OptionsJson = RunJson.Serialize(TrainingOptions.Default), CreatedAt = DateTime.UtcNow,
        StartedAt = status == RunStatus.Running ? DateTime.UtcNow : null,
    };
}
