using SemiCmr.Ml.Data;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Training;

/// <summary>
/// Dropout and weight initialisation draw from libtorch's process-wide generator, so a run is
/// reproducible when nothing else draws from it meanwhile (the app trains on one thread, the CLI one
/// run after another). These tests therefore run alone.
/// </summary>
[Collection(TorchGlobalState.Name)]
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
}
