using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.RunReports;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

[Collection(FeatureCollection.Name)]
public sealed class RunDeletionTests(FeatureAppFixture fixture)
{
    private SemiCmrApp App => fixture.App;

    [Fact]
    public async Task DeletingAFinishedRunRemovesItsFolderAndRowsAndThenItIsNotFound()
    {
        int id = await InsertRun(App, fixture.DatasetId, RunStatus.Succeeded);
        var client = App.CreateClient();

        var deleted = await client.DeleteAsync($"/api/runs/{id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Problem.Read(await client.GetAsync($"/api/runs/{id}", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        await Problem.Read(await client.GetAsync($"/api/runs/{id}/epochs", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(App.DataDirectory, "runs")).Select(Path.GetFileName),
            name => name == $"{id}" || name!.StartsWith($"{id}.", StringComparison.Ordinal));
        await using var db = await Db(App);
        Assert.False(await db.EpochMetrics.AnyAsync(m => m.RunId == id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DeletingARunningRunIsRefusedAndChangesNothing()
    {
        int id = await InsertRun(App, fixture.DatasetId, RunStatus.Running);

        var refused = await App.CreateClient().DeleteAsync($"/api/runs/{id}", TestContext.Current.CancellationToken);

        Assert.Contains("cancel it", (await Problem.Read(refused, HttpStatusCode.Conflict)).Errors["id"][0]);
        Assert.Equal(RunStatus.Running, (await App.WaitForRun(id, _ => true)).Status);
        Assert.True(File.Exists(Path.Combine(App.DataDirectory, "runs", id.ToString(), "model.json")));
        await using var db = await Db(App);
        await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Failed), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task DeletingAQueuedRunCancelsAndDeletesIt()
    {
        // An app that never trains: on PostgreSQL the database is the queue, and a worker would claim the row.
        await using var app = SemiCmrApp.InTempFolders().WithSetting("Worker:Enabled", "false");
        int datasetId = await app.ImportFolder(TinyDatasets.Write(app.ImportRoot, "queued"), "queued");
        await app.WaitForDataset(datasetId);
        int id = await InsertRun(app, datasetId, RunStatus.Queued);
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/runs/{id}", TestContext.Current.CancellationToken)).StatusCode);

        await Problem.Read(await client.GetAsync($"/api/runs/{id}", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "runs", id.ToString())));
    }

    [Fact]
    public async Task DeletingAnUnknownRunIsNotFound()
    {
        var response = await App.CreateClient().DeleteAsync("/api/runs/987654", TestContext.Current.CancellationToken);

        Assert.Contains("id", (await Problem.Read(response, HttpStatusCode.NotFound)).Errors.Keys);
    }

    [Fact]
    public async Task WhenTheFolderCannotBeRemovedTheRunIsKeptWithItsFilesAndTheProblemSaysSo()
    {
        await using var app = SemiCmrApp.InTempFolders();
        await using var failing = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IFolderMover, LockedFolders>()));
        var client = failing.CreateClient();
        int datasetId;
        await using (var db = await failing.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            var dataset = new Dataset { Name = "d", Source = "folder", Status = DatasetStatus.Ready, CreatedAt = DateTime.UtcNow };
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            datasetId = dataset.Id;
        }
        int id = await InsertRun(failing.Services, app.DataDirectory, datasetId, RunStatus.Succeeded);

        var response = await client.DeleteAsync($"/api/runs/{id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("could not be removed", body);
        Assert.DoesNotContain(app.DataDirectory, body);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/runs/{id}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "runs", id.ToString(), "model.json")));
    }

    private sealed class LockedFolders : IFolderMover
    {
        public void Move(string from, string to) => throw new IOException($"{from} is busy");
    }

    private static Task<SemiCmrDb> Db(SemiCmrApp app) =>
        app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken);

    private static Task<int> InsertRun(SemiCmrApp app, int datasetId, RunStatus status) => InsertRun(app.Services, app.DataDirectory, datasetId, status);

    /// <summary>
    /// A run row as the worker leaves it, with a folder and an epoch. Never enqueued: on SQLite the worker leaves it alone; on
    /// PostgreSQL a queued one is claimed unless the app does not train (Worker:Enabled=false).
    /// </summary>
    private static async Task<int> InsertRun(IServiceProvider services, string dataDirectory, int datasetId, RunStatus status)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var run = new Run
        {
            DatasetId = datasetId, Method = Method.Cca, LabelRatio = 1, Seed = 1, Status = status,
            OptionsJson = RunJson.Serialize(TrainingOptions.Default), CreatedAt = DateTime.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        db.EpochMetrics.Add(new EpochMetric { RunId = run.Id, Stage = Stage.CommonSpace, Epoch = 1, Epochs = 1, At = DateTime.UtcNow });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        if (status != RunStatus.Queued)
        {
            string folder = Path.Combine(dataDirectory, "runs", run.Id.ToString());
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "model.json"), "{}", TestContext.Current.CancellationToken);
        }
        return run.Id;
    }
}
