using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SemiCmr.Web.Auth;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>Single-user mode (Auth:Mode=None) runs only on loopback addresses; anywhere else start-up stops and says why.</summary>
public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://127.0.0.2:8080", true)]
    [InlineData("https://[::1]:5001", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://*:5000", false)]
    [InlineData("http://+:5000", false)]
    [InlineData("http://192.168.1.20:5000", false)]
    [InlineData("http://example.org:80", false)]
    public void LoopbackAddressesAreLocal(string address, bool local) => Assert.Equal(local, ListenAddresses.IsLoopback(address));

    [Fact]
    public void NoAddressAtAllIsLocalAndOneOpenAddressIsNamed()
    {
        Assert.Null(ListenAddresses.WhyNotLocal([]));
        Assert.Null(ListenAddresses.WhyNotLocal(["http://localhost:5000", "http://[::1]:5000"]));
        var why = ListenAddresses.WhyNotLocal(["http://127.0.0.1:5000", "http://0.0.0.0:5001"]);
        Assert.NotNull(why);
        Assert.Contains("Auth:Mode", why);
        Assert.Contains("http://0.0.0.0:5001", why);
        Assert.DoesNotContain("127.0.0.1:5000", why);
    }

    [Fact]
    public async Task SingleUserModeOnEveryAddressRefusesToStart()
    {
        await using var app = new OpenApp();
        var error = Record.Exception(app.StartOnEveryAddress);
        Assert.NotNull(error);
        var message = error is AggregateException aggregate ? string.Join(" ", aggregate.Flatten().InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.Contains("Auth:Mode is None", message);
        Assert.Matches(@"it listens on http://(\[::\]|0\.0\.0\.0):\d+", message); // Kestrel reports ListenAnyIP as [::]
    }

    [Fact]
    public async Task SingleUserModeOnLoopbackStarts()
    {
        await using var app = SemiCmrApp.InTempFolders();
        var address = app.ServeOnFreePort();
        var response = await new HttpClient { BaseAddress = address }.GetAsync("/api/datasets", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The app in single-user mode on Kestrel, listening on 0.0.0.0.</summary>
    private sealed class OpenApp : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        private readonly SemiCmrApp settings = SemiCmrApp.InTempFolders();

        public void StartOnEveryAddress()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            UseKestrel(options => options.ListenAnyIP(port));
            StartServer();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(TestPaths.RepoRoot);
            builder.UseEnvironment("Testing");
            builder.UseSetting("Data:Directory", settings.DataDirectory);
            builder.UseSetting("Demo:Enabled", "false");
            builder.UseSetting("Training:Device", "cpu");
            builder.UseSetting("Auth:Mode", "None");
        }

        public override async ValueTask DisposeAsync()
        {
            await settings.DisposeAsync();
            try { await base.DisposeAsync(); } catch (InvalidOperationException) { } // never started
        }
    }
}
