using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>The tests that share one feature-dataset app (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class FeatureCollection : ICollectionFixture<FeatureAppFixture>
{
    public const string Name = "feature app";
}

/// <summary>
/// One app shared by the feature collection: the generated Wikipedia-sized feature dataset (10 classes,
/// single-label) imported once, and a short sscmr run trained once on first use.
/// </summary>
public sealed class FeatureAppFixture : IAsyncLifetime
{
    private Task<RunResponse>? succeededRun;

    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders();
    public int DatasetId { get; private set; }

    /// <summary>The generated dataset as written, to compare the app's answers with.</summary>
    public FeatureDataset Features { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        string folder = FeatureSamples.Write(Path.Combine(App.ImportRoot, "features"), FeatureSampleSpec.SingleLabel);
        Features = FeatureDatasetReader.Read(folder);
        DatasetId = await App.ImportFolder(folder, "generated features");
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
