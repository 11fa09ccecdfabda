using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

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

    /// <summary>
    /// Creates a user with a role through the app's UserManager: no page creates users yet. Call after the admin exists
    /// (<see cref="Browser.SignIn(IPage, E2EApp)"/>): while no account exists, the first page is the admin's setup.
    /// </summary>
    public async Task CreateUser(string userName, string password, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(userName);
        var created = await users.CreateAsync(user, password);
        if (created.Succeeded) created = await users.AddToRoleAsync(user, role);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
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
