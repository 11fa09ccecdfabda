using SemiCmr.Ml.Evaluation;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Components.Runs;

/// <summary>One epoch of one stage as the charts see it (from an EpochMetric row or a live progress event).</summary>
public sealed record EpochPoint(Stage Stage, int Epoch, IReadOnlyDictionary<string, double> Losses, double? ValidationMap)
{
    public static EpochPoint From(EpochMetric row) => new(row.Stage, row.Epoch, row.Losses, row.ValidationMap);

    /// <summary>A live event that closes an epoch (epoch 0 only announces a stage, evaluation has no losses), else null.</summary>
    public static EpochPoint? From(RunProgressEvent progress) =>
        progress is { Stage: "labelPrediction" or "commonSpace", Epoch: > 0 } && progress.Loss.Count > 0
            ? new(progress.Stage == "labelPrediction" ? Stage.LabelPrediction : Stage.CommonSpace, progress.Epoch, progress.Loss, progress.ValidationMap)
            : null;
}

/// <summary>Turns epoch points into chart lines: one loss chart per stage (a line per term) and validation MAP.</summary>
public static class TrainingCharts
{
    /// <summary>Adds or replaces the point of the same stage and epoch (a live event may repeat a stored row).</summary>
    public static void Merge(List<EpochPoint> points, EpochPoint point)
    {
        int existing = points.FindIndex(p => p.Stage == point.Stage && p.Epoch == point.Epoch);
        if (existing >= 0) points[existing] = point;
        else points.Add(point);
    }

    /// <summary>Every loss term of a stage over epochs, "total" first, then by name.</summary>
    public static IReadOnlyList<ChartLine> Losses(IEnumerable<EpochPoint> points, Stage stage)
    {
        var ofStage = points.Where(p => p.Stage == stage).OrderBy(p => p.Epoch).ToList();
        var terms = ofStage.SelectMany(p => p.Losses.Keys).Distinct().OrderBy(t => t == "total" ? "" : t, StringComparer.Ordinal).ToList();
        return terms.Select((term, i) => new ChartLine(LossName(term),
            ofStage.Where(p => p.Losses.TryGetValue(term, out var v) && double.IsFinite(v)).Select(p => new ChartPoint(p.Epoch, p.Losses[term])).ToList(),
            ChartColors.At(i), Dashed: term == "total")).ToList();
    }

    /// <summary>Validation MAP after each epoch of each stage that reported it (one line per stage).</summary>
    public static IReadOnlyList<ChartLine> ValidationMap(IEnumerable<EpochPoint> points)
    {
        var list = points.ToList();
        return new[] { Stage.LabelPrediction, Stage.CommonSpace }
            .Select((stage, i) => new ChartLine(StageName(stage),
                list.Where(p => p.Stage == stage && p.ValidationMap is { } v && double.IsFinite(v)).OrderBy(p => p.Epoch)
                    .Select(p => new ChartPoint(p.Epoch, p.ValidationMap!.Value)).ToList(), ChartColors.At(i)))
            .Where(line => line.Points.Count > 0).ToList();
    }

    /// <summary>Interpolated precision against recall for both directions of one run.</summary>
    public static IReadOnlyList<ChartLine> PrecisionRecall(CrossModalReport report) =>
    [
        new("Image \u2192 text", Curve(report.ImageToText), ChartColors.At(0)),
        new("Text \u2192 image", Curve(report.TextToImage), ChartColors.At(1)),
    ];

    /// <summary>Several runs on one chart: a colour per run, image->text solid and text->image dashed.</summary>
    public static IReadOnlyList<ChartLine> ComparePrecisionRecall(IEnumerable<(string Name, CrossModalReport Report)> runs) =>
        runs.SelectMany((run, i) => new[]
        {
            new ChartLine($"{run.Name} i\u2192t", Curve(run.Report.ImageToText), ChartColors.At(i)),
            new ChartLine($"{run.Name} t\u2192i", Curve(run.Report.TextToImage), ChartColors.At(i), Dashed: true),
        }).ToList();

    public static IReadOnlyList<ChartPoint> Curve(RetrievalReport report) =>
        report.PrecisionRecall.OrderBy(p => p.Recall).Select(p => new ChartPoint(p.Recall, p.Precision)).ToList();

    public static string StageName(Stage stage) => stage switch
    {
        Stage.LabelPrediction => "Label prediction",
        Stage.CommonSpace => "Common space",
        _ => "Evaluation",
    };

    public static string LossName(string term) => term switch
    {
        "j1" => "J1 label space",
        "j2" => "J2 common space",
        "j3" => "J3 invariance",
        _ => term,
    };
}
