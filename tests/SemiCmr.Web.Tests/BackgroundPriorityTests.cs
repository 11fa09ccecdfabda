using SemiCmr.Ml.Samples;
using SemiCmr.Tests.Shared;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>Imports and training yield the CPU to requests: their threads run at a lower OS priority.</summary>
public sealed class BackgroundPriorityTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AnImportDecodesAndEncodesOnLowPriorityThreads()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread priorities are read from /proc");
        string folder = Path.Combine(app.ImportRoot, "shapes");
        SceneManifest.Write(folder, count: 40, seed: 3);

        int id = await app.ImportFolder(folder, "shapes");
        var seen = new Dictionary<int, OsThreads.OsThread>();
        while (!(await DatasetIsDone(id)))
        {
            foreach (var thread in OsThreads.Named("SemiCmr im")) seen[thread.Id] = thread;
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        Assert.Contains(seen.Values, t => t.Name == DatasetImporter.ThreadName);
        Assert.Contains(seen.Values, t => t.Name == "SemiCmr images");
        Assert.All(seen.Values, t => Assert.Equal(Ml.Runtime.BackgroundWork.Niceness, t.Nice));
    }

    [Fact]
    public async Task TheTrainingThreadRunsAtLowPriority()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread priorities are read from /proc");
        _ = app.CreateClient(); // starts the host and its training worker
        // Linux keeps 15 characters of a thread's name.
        string name = TrainingWorker.ThreadName[..15];
        IReadOnlyList<OsThreads.OsThread> training = [];
        for (int i = 0; i < 300 && training.Count == 0; i++, await Task.Delay(10, TestContext.Current.CancellationToken))
            training = OsThreads.Named(name);

        Assert.NotEmpty(training);
        Assert.All(training, t => Assert.Equal(Ml.Runtime.BackgroundWork.Niceness, t.Nice));
    }

    private async Task<bool> DatasetIsDone(int id)
    {
        var dataset = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<DatasetResponse>(
            app.CreateClient(), $"/api/datasets/{id}", Json.Options, TestContext.Current.CancellationToken);
        Assert.NotEqual(DatasetStatus.Failed, dataset!.Status);
        return dataset.Status == DatasetStatus.Ready;
    }
}
