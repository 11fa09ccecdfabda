using System.Globalization;
using SemiCmr.Ml.Training;
using Spectre.Console;

namespace SemiCmr.Cli.Common;

/// <summary>The metrics of one run as a two-column table.</summary>
public static class MetricsTable
{
    public static Table For(RunMetrics metrics)
    {
        var table = new Table().AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
        table.AddRow("MAP image->text", Format(metrics.MapI2T));
        table.AddRow("MAP text->image", Format(metrics.MapT2I));
        table.AddRow("MAP mean", Format((metrics.MapI2T + metrics.MapT2I) / 2));
        table.AddRow("Stage-1 accuracy (unlabeled train)", metrics.Stage1Accuracy is { } a ? Format(a) : "-");
        table.AddRow("Labeled train items", metrics.Labeled.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Seconds stage 1", Seconds(metrics.SecondsStage1));
        table.AddRow("Seconds stage 2", Seconds(metrics.SecondsStage2));
        return table;
    }

    public static string Format(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    public static string Seconds(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
