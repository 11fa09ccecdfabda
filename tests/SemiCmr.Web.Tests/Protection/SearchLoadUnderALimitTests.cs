namespace SemiCmr.Web.Tests.Protection;

/// <summary>`semicmr perf search-load` against a server whose search limit it passes: it says so, and which setting lifts it.</summary>
public sealed class SearchLoadUnderALimitTests
{
    [Fact]
    public async Task Search_load_tells_the_servers_limit_from_other_errors_and_how_to_lift_it()
    {
        await using var app = SemiCmrApp.InTempFolders();
        app.Settings["RateLimits:Search:PermitLimit"] = "4"; // the first search and the warm-up burst of 3, then refusals
        var address = app.ServeOnFreePort();
        var (_, _, run) = await app.ImportAndTrainShortRun();
        Assert.Equal(Data.RunStatus.Succeeded, run.Status);

        var (exit, output) = CliSearchTests.CliRun("perf", "search-load", "--server", address.ToString(), "--run", $"{run.Id}",
            "--idle", "1", "--clients", "3", "--pause", "0", "--by", "item");

        Assert.True(exit == 0, output);
        Assert.Contains("refused with 429", output, StringComparison.Ordinal);
        Assert.Contains("RateLimits__Search__PermitLimit=0", output, StringComparison.Ordinal);
    }
}
