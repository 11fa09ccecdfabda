using Bunit;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Components.Runs;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Tests.Components.Runs;

public sealed class TrainingChartsTests : IAsyncDisposable
{
    private readonly BunitContext context = MudTestContext.Create();

    private static EpochMetric Row(Stage stage, int epoch, double total, double? map = null, double? j1 = null) => new()
    {
        Stage = stage, Epoch = epoch, Epochs = 3, ValidationMap = map,
        Losses = j1 is { } v ? new() { ["total"] = total, ["j1"] = v } : new() { ["total"] = total },
    };

    [Fact]
    public void EachLossTermOfAStageBecomesALineOverEpochsWithTotalFirst()
    {
        var points = new[] { Row(Stage.CommonSpace, 2, 0.8, j1: 0.5), Row(Stage.CommonSpace, 1, 1.0, j1: 0.7), Row(Stage.LabelPrediction, 1, 3.0) }
            .Select(EpochPoint.From);

        var lines = TrainingCharts.Losses(points, Stage.CommonSpace);

        Assert.Equal(["total", "J1 label space"], lines.Select(l => l.Name));
        Assert.Equal([new ChartPoint(1, 1.0), new ChartPoint(2, 0.8)], lines[0].Points);
        Assert.Equal([0.7, 0.5], lines[1].Points.Select(p => p.Y));
    }

    [Fact]
    public void ValidationMapKeepsOnlyEpochsThatReportedIt()
    {
        var points = new[] { Row(Stage.CommonSpace, 1, 1, map: 0.2), Row(Stage.CommonSpace, 2, 1), Row(Stage.CommonSpace, 3, 1, map: 0.4) }.Select(EpochPoint.From);

        var line = Assert.Single(TrainingCharts.ValidationMap(points));

        Assert.Equal([new ChartPoint(1, 0.2), new ChartPoint(3, 0.4)], line.Points);
    }

    [Fact]
    public void ALiveEventReplacesTheStoredRowOfTheSameEpochAndStageAnnouncementsAreIgnored()
    {
        var points = new List<EpochPoint> { EpochPoint.From(Row(Stage.CommonSpace, 1, 1.0)) };
        var live = new RunProgressEvent(1, "running", "commonSpace", 1, 3, 0.3, new Dictionary<string, double> { ["total"] = 0.9 });
        var announcement = new RunProgressEvent(1, "running", "commonSpace", 0, 3, 0.2, new Dictionary<string, double>());

        TrainingCharts.Merge(points, EpochPoint.From(live)!);

        Assert.Null(EpochPoint.From(announcement));
        Assert.Equal(0.9, Assert.Single(points).Losses["total"]);
    }

    [Fact]
    public void TheLineChartDrawsAPolylinePerSeriesAndALegend()
    {
        var lines = TrainingCharts.Losses(new[] { Row(Stage.CommonSpace, 1, 1.0, j1: 0.7), Row(Stage.CommonSpace, 2, 0.5, j1: 0.4) }.Select(EpochPoint.From), Stage.CommonSpace);

        var chart = context.Render<LineChart>(p => p.Add(c => c.Lines, lines).Add(c => c.Title, "Stage 2 losses"));

        Assert.Equal(["total", "J1 label space"], chart.FindAll("polyline").Select(p => p.GetAttribute("data-series")));
        Assert.Contains("J1 label space", chart.Find(".run-chart-legend").TextContent);
    }

    [Fact]
    public void AChartWithoutPointsSaysSo()
    {
        var chart = context.Render<LineChart>(p => p.Add(c => c.Lines, []).Add(c => c.EmptyText, "Waiting for stage 2."));

        Assert.Contains("Waiting for stage 2.", chart.Markup);
        Assert.Empty(chart.FindAll("polyline"));
    }

    [Fact]
    public void ComparedRunsGetOneColourEachWithTextToImageDashed()
    {
        var curve = new RetrievalReport(0.5, 0.5, 0, new Dictionary<int, double>(), [new(0, 1), new(1, 0.2)], 3);
        var report = new CrossModalReport(curve, curve);

        var lines = TrainingCharts.ComparePrecisionRecall([("#1", report), ("#2", report)]);

        Assert.Equal(4, lines.Count);
        Assert.Equal(lines[0].Color, lines[1].Color);
        Assert.NotEqual(lines[0].Color, lines[2].Color);
        Assert.Equal([false, true, false, true], lines.Select(l => l.Dashed));
        Assert.Equal([new ChartPoint(0, 1), new ChartPoint(1, 0.2)], lines[0].Points);
    }

    [Fact]
    public void ScaleTicksAreRoundAndCoverTheData()
    {
        var scale = ChartScale.Covering([0.13, 0.87]);

        Assert.True(scale.Min <= 0.13 && scale.Max >= 0.87);
        Assert.All(scale.Ticks(), t => Assert.Equal(Math.Round(t, 2), t, 9));
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
