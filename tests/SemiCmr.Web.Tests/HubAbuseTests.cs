using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Tests;

/// <summary>Scripts that misuse /hubs/runs get plain answers or a closed connection, and the log stays short.</summary>
public sealed class HubAbuseTests : IAsyncLifetime
{
    private readonly SemiCmrApp baseApp = SemiCmrApp.InTempFolders();
    private readonly LogCapture logs = new();
    private WebApplicationFactory<Program> app = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        app = baseApp.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task WatchingUnknownRunsAndDatasetsAnswersFalseAndLogsNothingAboveDebug()
    {
        await using var hub = Connect();
        await hub.StartAsync(Cancel);

        for (int id = 9000; id < 9020; id++)
        {
            Assert.False(await hub.InvokeAsync<bool>("Watch", id, Cancel));
            Assert.False(await hub.InvokeAsync<bool>("WatchDataset", id, Cancel));
        }

        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.DoesNotContain(logs.AtLeast(LogLevel.Information), r => r.Message.Contains("9001", StringComparison.Ordinal));
        Assert.Empty(logs.AtLeast(LogLevel.Warning));
    }

    [Fact]
    public async Task AFloodOfCallsClosesTheConnectionWithOneWarning()
    {
        await using var hub = Connect();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync(Cancel);

        for (int i = 0; i < 1000 && hub.State == HubConnectionState.Connected; i++)
        {
            try { await hub.SendAsync("Watch", 9000 + i, Cancel); }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException) { break; }
        }
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        var warnings = logs.AtLeast(LogLevel.Warning).ToList();
        Assert.True(warnings.Count == 1, string.Join("\n", warnings.Take(3).Select(w => $"{w.Level} {w.Category}: {w.Message[..Math.Min(500, w.Message.Length)]}")));
        Assert.Contains($"more than {HubRateLimitFilter.Burst} calls", warnings[0].Message);
    }

    private HubConnection Connect() => new HubConnectionBuilder()
        .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/runs"), options =>
        {
            options.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            options.Transports = HttpTransportType.LongPolling;
        })
        .Build();

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await baseApp.DisposeAsync();
    }
}
