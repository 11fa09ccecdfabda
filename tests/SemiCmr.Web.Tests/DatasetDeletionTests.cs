using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

public sealed class DatasetDeletionTests : IAsyncDisposable
{
    private readonly StuckFolders stuck = new();
    // Never trains: on PostgreSQL the database is the queue, and a worker would claim the queued row written below.
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders().WithSetting("Worker:Enabled", "false");
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public DatasetDeletionTests() => app.TestServices = services => services.AddSingleton<IFolderMover>(stuck);

    [Fact]
    public async Task ADatasetWhoseFolderCannotBeMovedAsideIsNotDeletedAndKeepsItsRowsAndFiles()
    {
        int id = await app.ImportFolder(TinyDatasets.Write(app.ImportRoot, "stuck"), "stuck");
        await app.WaitForDataset(id);
        var (finished, queued) = (NewRun(id, RunStatus.Succeeded), NewRun(id, RunStatus.Queued));
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Cancel))
        {
            db.Runs.AddRange(finished, queued);
            await db.SaveChangesAsync(Cancel);
        }
        string datasetFolder = Path.Combine(app.DataDirectory, "datasets", id.ToString());
        string runFolder = Path.Combine(app.DataDirectory, "runs", finished.Id.ToString());
        Directory.CreateDirectory(runFolder);
        File.WriteAllText(Path.Combine(runFolder, "model.bin"), "weights");
        stuck.Folder = datasetFolder; // the run folder moves first, then the dataset's fails

        var client = app.CreateClient();
        var refused = await client.DeleteAsync($"/api/datasets/{id}", Cancel);
        var problem = await Problem.Read(refused, HttpStatusCode.InternalServerError);
        Assert.Contains("id", problem.Errors.Keys);
        Assert.DoesNotContain(app.DataDirectory, await refused.Content.ReadAsStringAsync(Cancel));

        Assert.Equal(DatasetStatus.Ready, (await app.WaitForDataset(id)).Status);
        var runs = await client.GetFromJsonAsync<List<RunResponse>>("/api/runs", Json.Options, Cancel);
        Assert.Equal([(finished.Id, RunStatus.Succeeded), (queued.Id, RunStatus.Queued)], runs!.OrderBy(r => r.Id).Select(r => (r.Id, r.Status)));
        Assert.Equal("weights", File.ReadAllText(Path.Combine(runFolder, "model.bin")));
        Assert.True(File.Exists(Path.Combine(datasetFolder, "items.csv")));
        Assert.Empty(Directory.GetDirectories(app.DataDirectory, "*.deleting", SearchOption.AllDirectories));

        stuck.Folder = null;
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datasets/{id}", Cancel)).StatusCode);
        Assert.False(Directory.Exists(datasetFolder));
        Assert.False(Directory.Exists(runFolder));
        Assert.Empty(Directory.GetDirectories(app.DataDirectory, "*.deleting", SearchOption.AllDirectories));
        Assert.Empty((await client.GetFromJsonAsync<List<RunResponse>>("/api/runs", Json.Options, Cancel))!);
    }

    private static Run NewRun(int datasetId, RunStatus status) => new()
    {
        DatasetId = datasetId, Method = Method.Cca, LabelRatio = 1, Seed = 1, Status = status,
        OptionsJson = RunJson.Serialize(TrainingOptions.Default), CreatedAt = DateTime.UtcNow,
    };

    /// <summary>Fails to move one folder, as a folder held open on Windows or a read-only mount would.</summary>
    private sealed class StuckFolders : IFolderMover
    {
        public string? Folder { get; set; }

        public void Move(string from, string to)
        {
            if (from == Folder) throw new IOException($"{from} is in use");
            Directory.Move(from, to);
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
