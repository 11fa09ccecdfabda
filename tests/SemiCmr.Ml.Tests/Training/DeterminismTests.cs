using SemiCmr.Ml.Data;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Runtime;
using SemiCmr.Ml.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Tests.Training;

/// <summary>
/// A run draws its shuffles, initial weights and dropout masks from its own seeded generators, never
/// from libtorch's process-wide one, so it is reproducible whatever else the process does meanwhile;
/// these tests run in parallel with the others.
/// </summary>
public sealed class DeterminismTests
{
    private static readonly FeatureDataset Dataset = SyntheticData.Clusters();

    [Fact]
    public void SameSeedOnCpuGivesTheSameMap()
    {
        using var first = Fast.Run(Fast.Request(Dataset, Method.Sscmr, seed: 5));
        using var second = Fast.Run(Fast.Request(Dataset, Method.Sscmr, seed: 5));
        using var other = Fast.Run(Fast.Request(Dataset, Method.Sscmr, seed: 6));

        Assert.Equal(first.Result.Metrics.MapI2T, second.Result.Metrics.MapI2T, 1e-6);
        Assert.Equal(first.Result.Metrics.MapT2I, second.Result.Metrics.MapT2I, 1e-6);
        Assert.Equal(first.Result.ImageEmbeddings.Values, second.Result.ImageEmbeddings.Values);
        Assert.NotEqual(first.Result.ImageEmbeddings.Values, other.Result.ImageEmbeddings.Values);
    }

    [Fact]
    public async Task LoadingModelsAndSearchingWhileARunTrainsDoesNotChangeTheRun()
    {
        var request = Fast.Request(Dataset, Method.Sscmr, seed: 5);
        using var alone = Fast.Run(request);
        var folder = TestPaths.NewTempFolder();
        alone.Save(folder);

        using var stop = new CancellationTokenSource();
        var searches = Task.Run(() => SearchAndDrawUntil(folder, stop.Token), TestContext.Current.CancellationToken);
        TrainedRun busy;
        try
        {
            busy = Fast.Run(request);
        }
        finally
        {
            stop.Cancel();
        }
        int globalDraws = await searches;

        using (busy)
        {
            Assert.True(globalDraws > 0, "the other thread never drew from the global generator during the run");
            AssertClose(alone.Result.ImageEmbeddings, busy.Result.ImageEmbeddings);
            AssertClose(alone.Result.TextEmbeddings, busy.Result.TextEmbeddings);
            Assert.Equal(alone.Result.Metrics.MapI2T, busy.Result.Metrics.MapI2T, 1e-6);
        }
    }

    /// <summary>
    /// What the app does while a run trains: loads models and embeds queries; plus what any other torch code
    /// might do: build layers (TorchSharp initialises them from the global generator), draw random
    /// numbers and apply dropout. Returns how many rounds of global draws it made.
    /// </summary>
    private static int SearchAndDrawUntil(string modelFolder, CancellationToken stop)
    {
        int rounds = 0;
        var cpu = TorchRuntime.ResolveDevice(DeviceRequest.Cpu);
        while (!stop.IsCancellationRequested)
        {
            using (var model = TrainedModel.Load(modelFolder, cpu))
                model.EmbedTexts(Dataset.TextFeatures);
            using var scope = NewDisposeScope();
            var layer = nn.Linear(32, 32);
            var noise = rand(64, 32);
            nn.functional.dropout(layer.forward(noise), 0.5, training: true).sum().item<float>();
            rounds++;
        }
        return rounds;
    }

    private static void AssertClose(FeatureMatrix expected, FeatureMatrix actual)
    {
        Assert.Equal(expected.Values.Length, actual.Values.Length);
        double largest = expected.Values.Zip(actual.Values, (a, b) => Math.Abs((double)a - b)).Max();
        Assert.True(largest <= 1e-6, $"embeddings differ by up to {largest}");
    }
}
