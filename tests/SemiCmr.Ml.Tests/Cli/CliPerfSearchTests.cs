namespace SemiCmr.Ml.Tests.Cli;

public sealed class CliPerfSearchTests
{
    [Fact]
    public void PerfSearchPrintsOneLinePerIndexAndSizeWithRecallAgainstTheExactScan()
    {
        var (exitCode, output) = CliHarness.Run("perf", "search", "--items", "500,3000", "--dims", "16", "--queries", "20", "--clusters", "10");

        Assert.True(exitCode == 0, output);
        var lines = output.Split('\n').Where(l => !l.StartsWith("measured", StringComparison.Ordinal)).ToList(); // the table, not the lines printed as each row was measured
        foreach (string size in new[] { "500", "3,000" })
        {
            Assert.Contains(lines, l => l.Contains("exact", StringComparison.Ordinal) && l.Contains($" {size} ", StringComparison.Ordinal) && l.Contains("1.000", StringComparison.Ordinal));
            var hnsw = lines.Single(l => l.Contains("hnsw", StringComparison.Ordinal) && l.Contains($" {size} ", StringComparison.Ordinal));
            Assert.Matches(@"\b(0\.9\d\d|1\.000)\b", hnsw);
        }
    }

    [Fact]
    public void PerfSearchRefusesAnUnreadableSizeList()
    {
        var (exitCode, output) = CliHarness.Run("perf", "search", "--items", "many");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--items", output);
    }
}
