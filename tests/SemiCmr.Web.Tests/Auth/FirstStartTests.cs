using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SemiCmr.Web.Auth;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>Accounts mode from an empty database: setup creates the admin, login and logout set and clear the cookie, lockout holds.</summary>
public sealed class FirstStartTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstancesRacingToCreateTheFirstAdminMakeOne()
    {
        await using var first = SemiCmrApp.InTempFolders("Accounts");
        await using var second = new SemiCmrApp(first.DataDirectory, first.ImportRoot) { AuthMode = "Accounts" };
        var setups = new[] { first, second }.Select(app => app.Services.GetRequiredService<FirstAdmin>()).ToArray();

        // Each instance tries several names at once: only the first admin created anywhere may stand.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => setups[i % 2].Create($"admin{i}", Accounts.Password, Cancel), Cancel)));

        Assert.Single(outcomes, o => o.Value is not null);
        await using var scope = second.Services.CreateAsyncScope();
        Assert.Single(scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().Users);
    }

    [Fact]
    public async Task WithNoUserEveryPageLeadsToCreatingTheAdminAndTheLogSaysWhere()
    {
        var logs = new LogCapture();
        await using var baseApp = SemiCmrApp.InTempFolders("Accounts");
        await using var app = baseApp.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        var client = Accounts.Anonymous(app);

        var home = await client.GetAsync("/runs", Cancel);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith(AuthExtensions.LoginPath + "?ReturnUrl=%2Fruns", home.Headers.Location!.PathAndQuery);
        var login = await client.GetAsync(AuthExtensions.LoginPath, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(FirstAdmin.SetupPath, login.Headers.Location!.LocalPath());
        Assert.Contains(logs.AtLeast(LogLevel.Warning), r => r.Message.Contains("No account exists yet") && r.Message.Contains(FirstAdmin.SetupPath));

        // Identity's default password rules hold.
        var weak = await Accounts.PostForm(client, FirstAdmin.SetupPath,
            new Dictionary<string, string> { ["Input.UserName"] = "boss", ["Input.Password"] = "short", ["Input.Confirm"] = "short" });
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("Passwords must", await weak.Content.ReadAsStringAsync(Cancel));

        var created = await Accounts.PostForm(client, FirstAdmin.SetupPath,
            new Dictionary<string, string> { ["Input.UserName"] = "boss", ["Input.Password"] = Accounts.Password, ["Input.Confirm"] = Accounts.Password });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/", created.Headers.Location!.LocalPath());
        string setCookie = Assert.Single(created.Headers.GetValues("Set-Cookie"), c => c.StartsWith("semicmr.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        // SameAsRequest: plain http on localhost gets no Secure flag, or the browser would drop the cookie.
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);

        var admin = Accounts.As(app, setCookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/datasets", Cancel)).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.True(await users.IsInRoleAsync((await users.FindByNameAsync("boss"))!, Roles.Admin));
        }

        // Setup is over: it sends to the login page, which no longer sends to setup.
        var again = await client.GetAsync(FirstAdmin.SetupPath, Cancel);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(AuthExtensions.LoginPath, again.Headers.Location!.LocalPath());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(AuthExtensions.LoginPath, Cancel)).StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenForTheRightOne()
    {
        await using var app = SemiCmrApp.InTempFolders("Accounts");
        await Accounts.CreateUser(app, "ann", Roles.Editor);
        var client = Accounts.Anonymous(app);
        for (int i = 0; i < 5; i++)
        {
            var wrong = await Accounts.PostForm(client, AuthExtensions.LoginPath,
                new Dictionary<string, string> { ["Input.UserName"] = "ann", ["Input.Password"] = "Wrong!pass1" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        var right = await Accounts.PostForm(client, AuthExtensions.LoginPath,
            new Dictionary<string, string> { ["Input.UserName"] = "ann", ["Input.Password"] = Accounts.Password });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(Cancel));
        Assert.DoesNotContain(Accounts.Cookies(right), c => c.StartsWith("semicmr.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoggingOutEndsTheSession()
    {
        await using var app = SemiCmrApp.InTempFolders("Accounts");
        await Accounts.CreateUser(app, "vic", Roles.Viewer);
        string cookie = await Accounts.SignIn(app, "vic");
        Assert.Equal(HttpStatusCode.OK, (await Accounts.As(app, cookie).GetAsync("/api/runs", Cancel)).StatusCode);

        var loggedOut = await Accounts.PostForm(Accounts.Anonymous(app), AuthExtensions.LogoutPath, new Dictionary<string, string>(), cookie);
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.Contains(Accounts.Cookies(loggedOut), c => c == "semicmr.auth=");
    }

    [Fact]
    public async Task AWrongPasswordSignsNobodyIn()
    {
        await using var app = SemiCmrApp.InTempFolders("Accounts");
        await Accounts.CreateUser(app, "eve", Roles.Viewer);
        var response = await Accounts.PostForm(Accounts.Anonymous(app), AuthExtensions.LoginPath,
            new Dictionary<string, string> { ["Input.UserName"] = "eve", ["Input.Password"] = "Wrong!pass1" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The user name or password is wrong.", await response.Content.ReadAsStringAsync(Cancel));
        Assert.DoesNotContain(Accounts.Cookies(response), c => c.StartsWith("semicmr.auth=", StringComparison.Ordinal));
    }
}

internal static class LocationPaths
{
    /// <summary>A redirect's path and query, whether the server wrote it relative or absolute.</summary>
    public static string LocalPath(this Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
}
