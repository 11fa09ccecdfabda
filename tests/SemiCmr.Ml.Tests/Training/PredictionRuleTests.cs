using SemiCmr.Ml.Training;
using SemiCmr.Ml.Training.StageOne;

namespace SemiCmr.Ml.Tests.Training;

public sealed class PredictionRuleTests
{
    [Fact]
    public void SingleLabelTakesTheArgMaxWithItsProbabilityAsConfidence()
    {
        var predictions = PredictionRule.FromProbabilities([7], [0.2f, 0.7f, 0.1f], 3, multiLabel: false, threshold: 0.5);
        Assert.Equal([1], predictions[0].Labels);
        Assert.Equal(0.7, predictions[0].Confidence, 1e-6);
        Assert.Equal(7, predictions[0].Row);
    }

    [Fact]
    public void MultiLabelTakesEveryClassAboveTheThresholdAndAtLeastTheTopOne()
    {
        var predictions = PredictionRule.FromProbabilities([0, 1], [0.9f, 0.6f, 0.1f, 0.3f, 0.4f, 0.2f], 3, multiLabel: true, threshold: 0.5);
        Assert.Equal([0, 1], predictions[0].Labels);
        Assert.Equal(0.75, predictions[0].Confidence, 1e-6);
        Assert.Equal([1], predictions[1].Labels); // nothing reaches 0.5: the top class alone
    }

    [Fact]
    public void StageOneScoreIsAccuracyForSingleLabelAndExampleF1ForMultiLabel()
    {
        IReadOnlyList<int>[] truth = [[0], [1, 2]];
        var single = new[] { new LabelPrediction(0, [0], 1), new LabelPrediction(1, [0], 1) };
        Assert.Equal(0.5, PredictionRule.Score(single, row => truth[row], multiLabel: false));

        var multi = new[] { new LabelPrediction(0, [0], 1), new LabelPrediction(1, [1], 1) };
        Assert.Equal((1.0 + 2.0 / 3) / 2, PredictionRule.Score(multi, row => truth[row], multiLabel: true), 1e-9);
    }

    [Theory]
    [InlineData(0, 10, 0.00674)]
    [InlineData(5, 10, 0.2865)]
    [InlineData(10, 10, 1.0)]
    [InlineData(20, 10, 1.0)]
    [InlineData(1, 0, 1.0)]
    public void ConsistencyWeightRampsUpAlongASigmoid(int epoch, int rampUp, double expected) =>
        Assert.Equal(expected, LabelPredictor.RampUp(epoch, rampUp), 1e-3);
}
