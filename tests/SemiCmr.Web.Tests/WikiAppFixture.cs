using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>The tests that share one wiki app (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class WikiCollection : ICollectionFixture<WikiAppFixture>
{
    public const string Name = "wiki app";
}

/// <summary>One app shared by the wiki collection: wiki-features imported once, a short sscmr run trained once on first use.</summary>
public sealed class WikiAppFixture : IAsyncLifetime
{
    private Task<RunResponse>? succeededRun;

    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders();
    public int DatasetId { get; private set; }

    public async ValueTask InitializeAsync()
    {
        DatasetId = await App.ImportFolder(SemiCmrApp.WikiFeatures);
        await App.WaitForDataset(DatasetId);
    }

    /// <summary>A succeeded sscmr run with few epochs (trained on first call, then shared).</summary>
    public Task<RunResponse> SucceededRun() => succeededRun ??= TrainShortRun();

    private async Task<RunResponse> TrainShortRun()
    {
        var run = await App.StartRun(new { datasetId = DatasetId, method = "sscmr", labelRatio = 0.1, seed = 1, options = new { stage1Epochs = 2, stage2Epochs = 2 } });
        return await App.WaitForRun(run.Id, r => r.Status is not (Data.RunStatus.Queued or Data.RunStatus.Running));
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
