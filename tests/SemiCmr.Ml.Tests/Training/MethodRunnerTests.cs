using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Training;

public sealed class MethodRunnerTests
{
    private static readonly FeatureDataset Dataset = SyntheticData.Clusters();

    [Fact]
    public void StageOnePredictsLabelsForEveryUnlabeledTrainingPair()
    {
        var labeled = SyntheticData.EveryNthTrainRow(Dataset, 10);
        using var run = Fast.Run(Fast.Request(Dataset, Method.Sscmr, labeled));

        var unlabeled = Dataset.IndicesOf(Split.Train).Except(labeled).Order().ToArray();
        Assert.Equal(unlabeled, run.Result.Predictions.Select(p => p.Row).Order().ToArray());
        Assert.All(run.Result.Predictions, p => Assert.InRange(p.Confidence, 0, 1));
        Assert.True(run.Result.Metrics.Stage1Accuracy > 0.9, $"stage-1 accuracy {run.Result.Metrics.Stage1Accuracy}");
        Assert.Equal(labeled.Length, run.Result.Metrics.Labeled);
    }

    [Theory]
    [InlineData(Method.Sscmr)]
    [InlineData(Method.Supervised)]
    [InlineData(Method.Full)]
    [InlineData(Method.Cca)]
    public void EveryMethodLearnsACommonSpaceThatRetrievesTheRightClass(Method method)
    {
        // supervised sees a fifth of the items, one batch an epoch: give every method enough steps to converge
        using var run = Fast.Run(Fast.Request(Dataset, method, options: Fast.Options with { Stage2Epochs = 60 }));

        var metrics = run.Result.Metrics; // ranking at random scores about 0.25 on four balanced classes
        Assert.True(metrics.MapI2T > 0.6 && metrics.MapT2I > 0.6, $"{method}: MAP {metrics.MapI2T:F3} / {metrics.MapT2I:F3}");
        Assert.Equal(Dataset.Items.Count, run.Result.ImageEmbeddings.Rows);
        Assert.Equal(Dataset.Items.Count, run.Result.TextEmbeddings.Rows);
        Assert.Equal(method == Method.Sscmr, metrics.Stage1Accuracy is not null);
    }

    [Fact]
    public void MultiLabelDatasetsTrainAndScoreStageOneWithF1()
    {
        var dataset = SyntheticData.Clusters(multiLabel: true);
        Assert.True(dataset.IsMultiLabel);
        using var run = Fast.Run(Fast.Request(dataset, Method.Sscmr, SyntheticData.EveryNthTrainRow(dataset, 4)));

        Assert.InRange(run.Result.Metrics.Stage1Accuracy!.Value, 0.6, 1.0);
        Assert.Contains(run.Result.Predictions, p => p.Labels.Count > 1);
        Assert.True(run.Result.Metrics.MapI2T > 0.7, $"MAP {run.Result.Metrics.MapI2T:F3}");
    }

    [Fact]
    public void FullCountsEveryLabeledTrainingItemAndCcaNone()
    {
        var dataset = SyntheticData.Clusters(unlabeledEvery: 4);
        using var full = Fast.Run(Fast.Request(dataset, Method.Full));
        using var cca = Fast.Run(Fast.Request(dataset, Method.Cca));

        int labeledTrain = dataset.IndicesOf(Split.Train).Count(r => dataset.Items[r].HasLabels);
        Assert.True(labeledTrain < dataset.IndicesOf(Split.Train).Length);
        Assert.Equal(labeledTrain, full.Result.Metrics.Labeled);
        Assert.Equal(0, cca.Result.Metrics.Labeled);
    }

    [Fact]
    public void UnlabeledItemsArePredictedInTrainingAndRankedButNeverQueriedInTest()
    {
        var dataset = SyntheticData.Clusters(unlabeledEvery: 4);
        using var run = Fast.Run(Fast.Request(dataset, Method.Sscmr));

        var withoutLabels = dataset.IndicesOf(Split.Train).Where(r => !dataset.Items[r].HasLabels).ToArray();
        Assert.NotEmpty(withoutLabels);
        Assert.All(withoutLabels, row => Assert.Contains(run.Result.Predictions, p => p.Row == row));

        var test = dataset.IndicesOf(Split.Test);
        var expected = CrossModalEvaluator.Evaluate(run.Result.ImageEmbeddings.SelectRows(test),
            run.Result.TextEmbeddings.SelectRows(test), test.Select(r => dataset.Items[r].Labels).ToList());
        Assert.Equal(expected.ImageToText.MapAll, run.Result.Metrics.MapI2T, 1e-12);
        Assert.Equal(test.Count(r => dataset.Items[r].HasLabels), run.Result.Evaluation.ImageToText.Queries);
    }

    [Fact]
    public void ProgressIsReportedAfterEveryEpochOfBothStagesThenEvaluation()
    {
        var updates = new List<TrainingProgress>();
        using var run = Fast.Run(Fast.Request(Dataset, Method.Sscmr), new SynchronousProgress(updates.Add));

        var stage1 = updates.Where(u => u.Stage == Stage.LabelPrediction).ToList();
        var stage2 = updates.Where(u => u.Stage == Stage.CommonSpace).ToList();
        Assert.Equal(Enumerable.Range(1, Fast.Options.Stage1Epochs), stage1.Select(u => u.Epoch));
        Assert.Equal(Enumerable.Range(1, Fast.Options.Stage2Epochs), stage2.Select(u => u.Epoch));
        Assert.All(stage1, u => Assert.Equal(["total", "labeled", "consistency"], u.Losses.Keys));
        Assert.All(stage2, u => Assert.Equal(["total", "j1", "j2", "j3"], u.Losses.Keys));
        Assert.All(stage2, u => Assert.InRange(u.ValidationMap!.Value, 0, 1));
        Assert.Equal(Stage.Evaluation, updates[^1].Stage);
        Assert.True(stage2[^1].Losses["total"] < stage2[0].Losses["total"], "stage-2 loss should fall");
    }

    [Fact]
    public void CancellationStopsTrainingWithinAnEpoch()
    {
        using var cancellation = new CancellationTokenSource();
        var epochs = 0;
        var progress = new SynchronousProgress(_ => { epochs++; cancellation.Cancel(); });

        Assert.ThrowsAny<OperationCanceledException>(() => MethodRunner.Run(Fast.Request(Dataset, Method.Sscmr), progress, cancellation.Token));
        Assert.Equal(1, epochs);
    }

    [Fact]
    public void LabeledRowsOutsideTheTrainingSplitAreRefused()
    {
        int testRow = Dataset.IndicesOf(Split.Test)[0];
        var error = Assert.Throws<ArgumentException>(() => Fast.Run(Fast.Request(Dataset, Method.Sscmr, [testRow])));
        Assert.Contains($"Labeled row {testRow}", error.Message);
    }

    [Fact]
    public void OutOfRangeOptionsAreRefusedWithTheirNames()
    {
        var options = Fast.Options with { BatchSize = 1, Alpha = -1 };
        var error = Assert.Throws<ArgumentException>(() => Fast.Run(Fast.Request(Dataset, Method.Sscmr, options: options)));
        Assert.Contains("BatchSize", error.Message);
        Assert.Contains("Alpha", error.Message);
    }

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
