using SemiCmr.Ml.Training.StageTwo;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Tests.Training;

public sealed class CommonSpaceLossesTests
{
    [Fact]
    public void LabelSpaceLossIgnoresItemsWithZeroConfidence()
    {
        using var scope = NewDisposeScope();
        var scores = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        var labels = tensor(new float[] { 1, 0, 1, 0 }, [2, 2]); // the second item's target disagrees
        Assert.Equal(0f, CommonSpaceLosses.LabelSpace(scores, scores, labels, tensor(new float[] { 1, 0 })).item<float>());
        // its squared error is 2 in each modality
        Assert.Equal(4f, CommonSpaceLosses.LabelSpace(scores, scores, labels, tensor(new float[] { 0, 1 })).item<float>());
    }

    [Fact]
    public void CommonSpaceLossIsLowerWhenItemsSharingALabelAreAligned()
    {
        using var scope = NewDisposeScope();
        var labels = tensor(new float[] { 1, 0, 1, 0, 0, 1 }, [3, 2]);
        var weights = ones(3);
        var aligned = tensor(new float[] { 1, 0, 1, 0, 0, 1 }, [3, 2]);
        var crossed = tensor(new float[] { 1, 0, 0, 1, 1, 0 }, [3, 2]);
        float good = CommonSpaceLosses.CommonSpace(aligned, aligned, labels, weights, 10).item<float>();
        float bad = CommonSpaceLosses.CommonSpace(crossed, crossed, labels, weights, 10).item<float>();
        Assert.True(good < bad, $"aligned {good} should be below crossed {bad}");
    }

    [Fact]
    public void ModalityInvarianceIsTheMeanSquaredDistanceOfEveryPair()
    {
        using var scope = NewDisposeScope();
        var images = tensor(new float[] { 0, 0, 1, 1 }, [2, 2]);
        var texts = tensor(new float[] { 3, 4, 1, 1 }, [2, 2]);
        Assert.Equal(12.5f, CommonSpaceLosses.ModalityInvariance(images, texts).item<float>());
    }
}
