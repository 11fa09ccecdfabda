namespace SemiCmr.Ml.Tests.Cli;

public sealed class CliPerfItemsTests
{
    [Fact]
    public void PerfItemsRefusesAPageLargerThanTheApiServes()
    {
        var (exitCode, output) = CliHarness.Run("perf", "items", "--limit", "501");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--limit must be between 1 and 500", output);
    }

    [Fact]
    public void PerfItemsSaysWhichServerItCouldNotReach()
    {
        var (exitCode, output) = CliHarness.Run("perf", "items", "--server", "http://127.0.0.1:9");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("http://127.0.0.1:9/ cannot be reached", output);
    }
}
