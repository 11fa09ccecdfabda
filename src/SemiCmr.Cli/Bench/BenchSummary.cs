using System.Globalization;
using SemiCmr.Cli.Common;
using Spectre.Console;

namespace SemiCmr.Cli.Bench;

/// <summary>Mean and sample standard deviation over seeds, one table row per (method, ratio).</summary>
public static class BenchSummary
{
    public static Table Table(IReadOnlyList<BenchRow> rows)
    {
        var table = new Table()
            .AddColumn("Method").AddColumn(new TableColumn("Ratio").RightAligned()).AddColumn(new TableColumn("Seeds").RightAligned())
            .AddColumn(new TableColumn("MAP image->text").RightAligned()).AddColumn(new TableColumn("MAP text->image").RightAligned())
            .AddColumn(new TableColumn("Stage-1 accuracy").RightAligned()).AddColumn(new TableColumn("Labeled").RightAligned())
            .AddColumn(new TableColumn("s stage 1").RightAligned()).AddColumn(new TableColumn("s stage 2").RightAligned());
        foreach (var group in rows.GroupBy(r => (r.Method, r.Ratio)))
        {
            var runs = group.ToList();
            var accuracies = runs.Where(r => r.Stage1Accuracy is not null).Select(r => r.Stage1Accuracy!.Value).ToList();
            table.AddRow(
                group.Key.Method,
                group.Key.Ratio.ToString("0.###", CultureInfo.InvariantCulture),
                runs.Count.ToString(CultureInfo.InvariantCulture),
                MeanSd(runs.Select(r => r.MapI2T).ToList(), "F4"),
                MeanSd(runs.Select(r => r.MapT2I).ToList(), "F4"),
                accuracies.Count == 0 ? "-" : MeanSd(accuracies, "F4"),
                runs.Average(r => r.Labeled).ToString("0.#", CultureInfo.InvariantCulture),
                MeanSd(runs.Select(r => r.SecondsStage1).ToList(), "F1"),
                MeanSd(runs.Select(r => r.SecondsStage2).ToList(), "F1"));
        }
        return table;
    }

    public static (double Mean, double StandardDeviation) Stats(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double sd = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return (mean, sd);
    }

    private static string MeanSd(IReadOnlyList<double> values, string format)
    {
        var (mean, sd) = Stats(values);
        return $"{mean.ToString(format, CultureInfo.InvariantCulture)} ± {sd.ToString(format, CultureInfo.InvariantCulture)}";
    }
}
