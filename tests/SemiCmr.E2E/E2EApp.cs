using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SemiCmr.E2E;

/// <summary>
/// The real app on a real Kestrel port (a browser cannot reach WebApplicationFactory's in-memory server), with the
/// repo root as content root, a temp data folder, CPU training on one thread and the demo off, in Accounts mode as
/// shipped: the first page a browser opens creates the admin (<see cref="Browser.SignIn"/>), the others sign in.
/// </summary>
public sealed class E2EApp : WebApplicationFactory<Program>
{
    public static string RepoRoot => TestPaths.RepoRoot;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "semicmr-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    public int Port { get; } = FreePort();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public const string AdminName = "admin";
    public const string AdminPassword = "E2e!admin-pass1";

    /// <summary>Set once a browser has created the admin through the first-start page.</summary>
    public bool AdminCreated { get; set; }

    public E2EApp()
    {
        UseKestrel(Port);
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepoRoot);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Data:Directory", DataDirectory);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Auth:Mode", "Accounts");
        builder.UseSetting("Training:Device", "cpu");
        builder.UseSetting("Training:Threads", "1");
        // The cancel test starts a run long enough to watch (5000 stage-1 epochs on a few dozen items).
        builder.UseSetting("Training:MaxEpochs", "10000");
        builder.UseSetting("Import:MaxUploadBytes", (50 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
