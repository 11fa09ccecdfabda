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

        var scores = LabelAgreement.PerClass(truth, predicted, classCount: 3).Rows;

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
    public void WithThousandsOfClassesTheConfusionMatrixKeepsTheMostFrequentAndAnOtherBucket()
    {
        // Every item its own class (as in a dataset labelled by row), but class 7 carried by 50 items, 40 predicted right.
        var truth = Single([.. Enumerable.Range(0, 3000), .. Enumerable.Repeat(7, 50)]);
        var predicted = Single([.. Enumerable.Range(0, 3000).Select(c => (c + 1) % 3000), .. Enumerable.Repeat(7, 40), .. Enumerable.Repeat(8, 10)]);

        var matrix = LabelAgreement.Confusion(truth, predicted, classCount: 3000);

        Assert.Equal(ClassLimits.MaxShown + 1, matrix.Counts.Length);
        Assert.All(matrix.Counts, row => Assert.Equal(ClassLimits.MaxShown + 1, row.Length));
        Assert.Equal(ClassLimits.Other, matrix.Classes[^1]);
        Assert.Equal(3000 - ClassLimits.MaxShown, matrix.MoreClasses);
        Assert.Contains(7, matrix.Classes);
        int seven = matrix.Classes.ToList().IndexOf(7);
        Assert.Equal(40, matrix.Counts[seven][seven]);
        Assert.Equal((3050, 40), (matrix.Total, matrix.Correct));
        Assert.Equal(matrix.Total, matrix.Counts.Sum(row => row.Sum()));
    }

    [Fact]
    public void AnItemOfALeftOutClassPredictedAsItselfStillCountsAsCorrect()
    {
        var truth = Single(0, 0, 1, 2);
        var matrix = LabelAgreement.Confusion(truth, Single(0, 0, 1, 2), classCount: 3, maxClasses: 1);

        Assert.Equal([0, ClassLimits.Other], matrix.Classes);
        Assert.Equal([[2, 0], [0, 2]], matrix.Counts);
        Assert.Equal(1.0, matrix.Accuracy, 9);
    }

    [Fact]
    public void WithThousandsOfClassesPerClassScoresListTheMostSupportedAndSummariseTheRest()
    {
        IReadOnlyList<IReadOnlyList<int>> truth = [.. Enumerable.Range(0, 3000).Select(c => (IReadOnlyList<int>)[c, 2999])];
        IReadOnlyList<IReadOnlyList<int>> predicted = [.. Enumerable.Range(0, 3000).Select(c => (IReadOnlyList<int>)[2999])];

        var scores = LabelAgreement.PerClass(truth, predicted, classCount: 3000);

        Assert.Equal(ClassLimits.MaxShown, scores.Rows.Count);
        Assert.Equal(3000 - ClassLimits.MaxShown, scores.MoreClasses);
        var top = Assert.Single(scores.Rows, s => s.Class == 2999);
        Assert.Equal((1.0, 1.0, 3000), (top.Precision, top.Recall, top.Support));
        var rest = Assert.IsType<ClassScore>(scores.Rest);
        Assert.Equal((ClassLimits.Other, 0.0, 3000 - ClassLimits.MaxShown), (rest.Class, rest.Recall, rest.Support));
    }

    [Fact]
    public void ALabelOutsideTheClassesIsRefused() =>
        Assert.Throws<ArgumentException>(() => LabelAgreement.Confusion(Single(0), Single(5), classCount: 2));
}
