using SemiCmr.Ml.Data;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Training;

public sealed class RunLabelsTests
{
    [Theory]
    [InlineData(Method.Sscmr)]
    [InlineData(Method.Full)]
    [InlineData(Method.Cca)]
    public void ASavedRunRecordsTheLabelsItWasTrainedWithAndTheRowsWhoseLabelsItWasShown(Method method)
    {
        var dataset = SyntheticData.Clusters();
        var request = Fast.Request(dataset, method);
        var folder = TestPaths.NewTempFolder();
        using (var run = Fast.Run(request)) run.Save(folder);

        var recorded = Assert.IsType<RunLabels>(RunLabels.Read(folder));
        Assert.Equal(dataset.Items.Select(i => i.Labels.ToArray()), recorded.Labels.Select(l => l.ToArray()));
        int[] shown = method switch
        {
            Method.Full => [.. dataset.IndicesOf(Split.Train).Where(r => dataset.Items[r].HasLabels)],
            Method.Cca => [],
            _ => [.. request.LabeledRows.Order()],
        };
        Assert.Equal(shown, recorded.Shown);
    }

    [Fact]
    public void AFolderWithoutRecordedLabelsReadsAsNone() =>
        Assert.Null(RunLabels.Read(TestPaths.NewTempFolder()));

    [Fact]
    public void ChangedLabelsAreCountedByItemWhateverTheirOrder()
    {
        var recorded = new RunLabels([[0], [1, 2], [], [3]], []);

        Assert.Equal(0, recorded.CountChanged([[0], [2, 1], [], [3]]));
        Assert.Equal(2, recorded.CountChanged([[1], [1, 2], [4], [3]]));
    }
}
