using SemiCmr.Ml.Analysis;

namespace SemiCmr.Ml.Tests.Analysis;

public sealed class LabelAgreementTests
{
    private static IReadOnlyList<IReadOnlyList<int>> Single(params int[] labels) => labels.Select(l => (IReadOnlyList<int>)[l]).ToList();

    [Fact]
    public void ConfusionMatrixCountsTrueClassesInRowsAndPredictionsInColumns()
    {
        var truth = Single(0, 0, 0, 1, 1, 2);
        var predicted = Single(0, 0, 1, 1, 2, 2);

        var matrix = LabelAgreement.Confusion(truth, predicted, classCount: 3);

        Assert.Equal([2, 1, 0], matrix.Counts[0]);
        Assert.Equal([0, 1, 1], matrix.Counts[1]);
        Assert.Equal([0, 0, 1], matrix.Counts[2]);
        Assert.Equal(6, matrix.Total);
        Assert.Equal(4.0 / 6, matrix.Accuracy, 9);
    }

    [Fact]
    public void ConfusionMatrixSkipsItemsWithoutATrueLabel()
    {
        IReadOnlyList<IReadOnlyList<int>> truth = [[0], [], [1]];

        var matrix = LabelAgreement.Confusion(truth, Single(0, 1, 0), classCount: 2);

        Assert.Equal(2, matrix.Total);
        Assert.Equal(1, matrix.Counts[1][0]);
    }

    [Fact]
    public void PerClassScoresGivePrecisionOverPredictedAndRecallOverTrue()
    {
        IReadOnlyList<IReadOnlyList<int>> truth = [[0, 1], [1], [2], [0]];
        IReadOnlyList<IReadOnlyList<int>> predicted = [[0], [1, 2], [2], [1]];

        var scores = LabelAgreement.PerClass(truth, predicted, classCount: 3);

        // class 0: predicted once (right), carried twice. class 1: predicted twice (one right), carried twice.
        Assert.Equal(1.0, scores[0].Precision, 9);
        Assert.Equal(0.5, scores[0].Recall, 9);
        Assert.Equal(0.5, scores[1].Precision, 9);
        Assert.Equal(0.5, scores[1].Recall, 9);
        Assert.Equal(0.5, scores[2].Precision, 9);
        Assert.Equal(1.0, scores[2].Recall, 9);
        Assert.Equal(2, scores[1].Support);
    }

    [Fact]
    public void ALabelOutsideTheClassesIsRefused() =>
        Assert.Throws<ArgumentException>(() => LabelAgreement.Confusion(Single(0), Single(5), classCount: 2));
}
