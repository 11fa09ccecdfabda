using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace SemiCmr.Web.Tests;

/// <summary>A bad setting stops the app at start-up with a message naming its key, instead of failing on first use.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Data:Directory", " ")]
    [InlineData("Import:MaxZipEntries", "0")]
    [InlineData("Training:Device", "gpu")]
    [InlineData("Demo:Enabled", "sometimes")]
    [InlineData("Search:ApproximateAbove", "-1")]
    [InlineData("Search:HnswExpansion", "5")]
    [InlineData("Cache:MaxBytes", "1000")]
    [InlineData("RateLimits:Search:PermitLimit", "-1")]
    [InlineData("RateLimits:Login:WindowSeconds", "0")]
    [InlineData("RateLimits:Imports:WindowSeconds", "100000")]
    [InlineData("Worker:MaxAttempts", "0")]
    [InlineData("Worker:LeaseSeconds", "0")]
    public async Task TheAppRefusesToStartWithABadValueNamingItsKey(string key, string value)
    {
        string message = await StartupFailure((key, value));

        Assert.True(message.Contains(key, StringComparison.Ordinal), $"The start-up failure does not name {key}: {message}");
    }

    [Fact]
    public async Task AZipLimitBelowTheUploadLimitIsRefusedNamingBoth()
    {
        string message = await StartupFailure(("Import:MaxUploadBytes", "2000000"), ("Import:MaxUncompressedBytes", "1000000"));

        Assert.Contains("Import:MaxUncompressedBytes (1000000) must be at least Import:MaxUploadBytes (2000000)", message);
    }

    [Fact]
    public async Task ALeaseRenewedNoMoreThanTwiceInItsLifetimeIsRefusedNamingBoth()
    {
        string failure = await StartupFailure(("Worker:LeaseSeconds", "10"), ("Worker:RenewSeconds", "6"));

        Assert.Contains("Worker:RenewSeconds (6) must be at most half of Worker:LeaseSeconds (10)", failure);
    }

    [Fact]
    public async Task AnEmptyAllowedRootIsRefusedRatherThanOpeningTheContentRoot()
    {
        string message = await StartupFailure(("Import:AllowedRoots:1", ""));

        Assert.Contains("Import:AllowedRoots:1 must be a folder path", message);
    }

    /// <summary>
    /// Every message of the start-up exception (validation failures of several sections come aggregated) and of the
    /// host's "Hosting failed to start" log entry, which is what a user reads on the console. The log is read too because
    /// WebApplicationFactory hands the test the exception from the app's own thread, which disposes the failed host at
    /// the same time: now and then (more often with PostgreSQL's services to dispose) the test receives an
    /// ObjectDisposedException of the host's service provider instead, though the app refused to start for the right reason.
    /// </summary>
    private static async Task<string> StartupFailure(params (string Key, string Value)[] settings)
    {
        var logs = new LogCapture();
        await using var baseApp = SemiCmrApp.InTempFolders();
        await using var app = baseApp.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        var failure = Record.Exception(() => app.Server);
        Assert.NotNull(failure);
        var logged = logs.AtLeast(LogLevel.Error).Where(r => r.Category == "Microsoft.Extensions.Hosting.Internal.Host").Select(r => r.Message);
        return string.Join(" | ", Flatten(failure).Concat(logged));
    }

    private static IEnumerable<string> Flatten(Exception e) =>
        e is AggregateException aggregate ? aggregate.InnerExceptions.SelectMany(Flatten)
        : e.InnerException is { } inner ? [e.Message, .. Flatten(inner)] : [e.Message];
}
