using System.Text.Json;
using SemiCmr.Cli.Bench;

namespace SemiCmr.Ml.Tests.Cli;

public sealed class CliBenchTests
{
    [Fact]
    public void BenchWritesOneJsonRowPerMethodRatioAndSeed()
    {
        var data = CliHarness.WriteDataset();
        var json = Path.Combine(TestPaths.NewTempFolder(), "bench.json");

        var (exitCode, output) = CliHarness.Run(["bench", "--data", data, "--methods", "sscmr,cca", "--ratios", "0.3,0.6", "--seeds", "1,2", "--json", json, .. CliHarness.TinyTraining]);

        Assert.True(exitCode == 0, output);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var rows = document.RootElement.EnumerateArray().ToList();
        var runs = rows.Select(r => (r.GetProperty("method").GetString(), r.GetProperty("ratio").GetDouble(), r.GetProperty("seed").GetInt32())).ToHashSet();
        Assert.Equal(6, rows.Count);
        Assert.Equal(
            new HashSet<(string?, double, int)> { ("sscmr", 0.3, 1), ("sscmr", 0.3, 2), ("sscmr", 0.6, 1), ("sscmr", 0.6, 2), ("cca", 1.0, 1), ("cca", 1.0, 2) },
            runs);
        string[] fields = ["method", "ratio", "seed", "mapI2T", "mapT2I", "stage1Accuracy", "labeled", "secondsStage1", "secondsStage2"];
        Assert.All(rows, row => Assert.Equal(fields, row.EnumerateObject().Select(p => p.Name)));
        Assert.All(rows.Where(r => r.GetProperty("method").GetString() == "sscmr"),
            row => Assert.Equal(JsonValueKind.Number, row.GetProperty("stage1Accuracy").ValueKind));
        // The summary table comes last; a progress line ("run 1/6: sscmr ...") may come before it on a slow machine.
        Assert.Contains("±", output.Split('\n').Last(line => line.Contains("sscmr", StringComparison.Ordinal)));
    }

    [Fact]
    public void SummaryUsesTheMeanAndSampleStandardDeviationOverSeeds()
    {
        var (mean, sd) = BenchSummary.Stats([0.2, 0.3, 0.4]);

        Assert.Equal(0.3, mean, 12);
        Assert.Equal(0.1, sd, 12);
    }
}
