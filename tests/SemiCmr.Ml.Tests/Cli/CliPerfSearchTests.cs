namespace SemiCmr.Ml.Tests.Cli;

public sealed class CliPerfSearchTests
{
    [Fact]
    public void PerfSearchPrintsOneLinePerIndexSizeFilterAndExpansionWithRecallAgainstTheExactScan()
    {
        var (exitCode, output) = CliHarness.Run("perf", "search", "--items", "500,3000", "--dims", "16", "--queries", "20", "--clusters", "10",
            "--expansion", "16,64", "--filter", "20");

        Assert.True(exitCode == 0, output);
        var lines = output.Split('\n').Where(l => !l.StartsWith("measured", StringComparison.Ordinal)).ToList(); // the table, not the lines printed as each row was measured
        foreach (string size in new[] { "500", "3,000" })
            foreach (string filter in new[] { "none", "2 of 10 classes" })
            {
                var rows = lines.Where(l => l.Contains($" {size} ", StringComparison.Ordinal) && l.Contains(filter, StringComparison.Ordinal)).ToList();
                Assert.Contains(rows, l => l.Contains("exact", StringComparison.Ordinal) && l.Contains("1.000", StringComparison.Ordinal));
                var hnsw = rows.Where(l => l.Contains("hnsw", StringComparison.Ordinal)).ToList();
                Assert.Equal(2, hnsw.Count); // one row per --expansion, the graph built once
                Assert.Contains(" 16 ", hnsw[0]);
                Assert.Contains(" 64 ", hnsw[1]);
                Assert.Matches(@"\b(0\.9\d\d|1\.000)\b", hnsw[1]);
            }
    }

    [Fact]
    public void PerfSearchRefusesAFilterThatAllowsNoWholeClass()
    {
        var (exitCode, output) = CliHarness.Run("perf", "search", "--items", "500", "--clusters", "5", "--filter", "10");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--filter 10 allows no whole class of 5", output);
    }

    [Fact]
    public void PerfSearchRefusesAnExpansionOutOfRange()
    {
        var (exitCode, output) = CliHarness.Run("perf", "search", "--items", "500", "--expansion", "5");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--expansion must list values between 10 and 4096", output);
    }

    [Fact]
    public void PerfSearchRefusesAnUnreadableSizeList()
    {
        var (exitCode, output) = CliHarness.Run("perf", "search", "--items", "many");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--items", output);
    }
}
