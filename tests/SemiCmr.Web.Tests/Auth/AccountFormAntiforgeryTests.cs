using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SemiCmr.Web.Auth;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>
/// The static account forms (setup, login, logout) refuse a post without their antiforgery token, or with a token
/// whose antiforgery cookie is missing (a forged cross-site form), and then change nothing; the same post with the
/// form's own token works.
/// </summary>
public sealed class AccountFormAntiforgeryTests : IAsyncDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly SemiCmrApp baseApp = SemiCmrApp.InTempFolders("Accounts");
    private readonly WebApplicationFactory<Program> app;
    /// <summary>The page endpoint's log records (debug level), which say when a post was refused for its antiforgery token.</summary>
    private readonly LogCapture logs = new();

    public AccountFormAntiforgeryTests() => app = baseApp.WithWebHostBuilder(builder => builder.ConfigureLogging(logging =>
        logging.AddProvider(logs).AddFilter<LogCapture>("Microsoft.AspNetCore.Components.Endpoints", LogLevel.Debug)));

    [Fact]
    public async Task Setup_without_the_token_creates_no_admin()
    {
        var fields = new Dictionary<string, string> { ["Input.UserName"] = "boss", ["Input.Password"] = Accounts.Password, ["Input.Confirm"] = Accounts.Password };

        await AssertRefused(await PostWithoutToken(app, FirstAdmin.SetupPath, fields));
        await AssertRefused(await PostWithAnotherSessionsToken(app, FirstAdmin.SetupPath, fields));
        Assert.True(await app.Services.GetRequiredService<FirstAdmin>().Needed(Cancel));

        Assert.Equal(HttpStatusCode.Redirect, (await Accounts.PostForm(Accounts.Anonymous(app), FirstAdmin.SetupPath, fields)).StatusCode);
        Assert.False(await app.Services.GetRequiredService<FirstAdmin>().Needed(Cancel));
    }

    [Fact]
    public async Task Login_without_the_token_signs_nobody_in()
    {
        await Accounts.CreateUser(app, "ann", Roles.Editor);
        var fields = new Dictionary<string, string> { ["Input.UserName"] = "ann", ["Input.Password"] = Accounts.Password };

        await AssertRefused(await PostWithoutToken(app, AuthExtensions.LoginPath, fields));
        await AssertRefused(await PostWithAnotherSessionsToken(app, AuthExtensions.LoginPath, fields));

        Assert.Equal(HttpStatusCode.Redirect, (await Accounts.PostForm(Accounts.Anonymous(app), AuthExtensions.LoginPath, fields)).StatusCode);
    }

    [Fact]
    public async Task Logout_without_the_token_leaves_the_session_signed_in()
    {
        await Accounts.CreateUser(app, "vic", Roles.Viewer);
        string cookie = await Accounts.SignIn(app, "vic");

        await AssertRefused(await PostWithoutToken(app, AuthExtensions.LogoutPath, [], cookie), signedIn: true);
        Assert.Equal(HttpStatusCode.OK, (await Accounts.As(app, cookie).GetAsync("/api/runs", Cancel)).StatusCode);

        var loggedOut = await Accounts.PostForm(Accounts.Anonymous(app), AuthExtensions.LogoutPath, new Dictionary<string, string>(), cookie);
        Assert.Contains(Accounts.Cookies(loggedOut), c => c == "semicmr.auth=");
    }

    /// <summary>What a form on another site can send: the fields and the form's name, but no token (and no antiforgery cookie).</summary>
    private static async Task<HttpResponseMessage> PostWithoutToken(WebApplicationFactory<Program> app, string path, Dictionary<string, string> fields, string? cookie = null)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(WithFormName(path, fields)) };
        if (cookie is not null) post.Headers.Add("Cookie", cookie);
        return await Accounts.Anonymous(app).SendAsync(post, Cancel);
    }

    /// <summary>A valid token read from the form by someone else, posted without the antiforgery cookie it belongs to.</summary>
    private static async Task<HttpResponseMessage> PostWithAnotherSessionsToken(WebApplicationFactory<Program> app, string path, Dictionary<string, string> fields)
    {
        string html = await Accounts.Anonymous(app).GetStringAsync(path, Cancel);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"(?<v>[^\"]+)\"");
        Assert.True(token.Success, "the form carries a token");
        var form = WithFormName(path, fields);
        form["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["v"].Value);
        return await Accounts.Anonymous(app).PostAsync(path, new FormUrlEncodedContent(form), Cancel);
    }

    /// <summary>Blazor's form name field (the EditForm's FormName), so the post reaches the form's handler but for the token.</summary>
    private static Dictionary<string, string> WithFormName(string path, Dictionary<string, string> fields) =>
        new(fields) { ["_handler"] = path.Split('/').Last() };

    /// <summary>
    /// 400, the session unchanged (an anonymous post gets no sign-in cookie; a signed-in one is not signed out, though
    /// its cookie may be renewed, as every signed-in answer renews it), and the refusal logged as the antiforgery
    /// check's (not some other bad request).
    /// </summary>
    private async Task AssertRefused(HttpResponseMessage response, bool signedIn = false)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (signedIn) Assert.DoesNotContain(Accounts.Cookies(response), c => c == "semicmr.auth=");
        else Assert.DoesNotContain(Accounts.Cookies(response), c => c.StartsWith("semicmr.auth", StringComparison.Ordinal));
        Assert.Contains(logs.Records, r => r.Message.Contains("antiforgery middleware already failed to validate", StringComparison.Ordinal));
        logs.Records.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await baseApp.DisposeAsync();
    }
}
