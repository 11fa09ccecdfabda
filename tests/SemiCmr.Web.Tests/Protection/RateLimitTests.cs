using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Protection;
using SemiCmr.Web.Tests.Auth;

namespace SemiCmr.Web.Tests.Protection;

/// <summary>An app in Accounts mode with small limits: 3 sign-in posts, 2 imports and 3 searches a minute.</summary>
public sealed class RateLimitedApp : IAsyncLifetime
{
    public const int Logins = 3, Imports = 2, Searches = 3;

    private readonly SemiCmrApp baseApp = SemiCmrApp.InTempFolders("Accounts");
    public WebApplicationFactory<Program> App { get; private set; } = default!;

    public ValueTask InitializeAsync()
    {
        App = baseApp.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("RateLimits:Login:PermitLimit", $"{Logins}");
            builder.UseSetting("RateLimits:Imports:PermitLimit", $"{Imports}");
            builder.UseSetting("RateLimits:Search:PermitLimit", $"{Searches}");
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>A new user of <paramref name="role"/>, signed in: the cookie and the user's id. Each test uses its own users, so its own partitions.</summary>
    public async Task<(HttpClient Client, string Id)> User(string name, string role = Roles.Editor)
    {
        string id = await Accounts.CreateUser(App, name, role);
        return (Accounts.As(App, await Accounts.SignIn(App, name)), id);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await baseApp.DisposeAsync();
    }
}

/// <summary>
/// Each limit refuses past its setting with 429 problem details that name the setting and a Retry-After, and leaves
/// other users (other partitions) alone; a user's API tokens and the search page draw on the user's own budget.
/// </summary>
public sealed class RateLimitTests(RateLimitedApp fixture) : IClassFixture<RateLimitedApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Searches_past_the_limit_are_refused_for_that_user_only_on_both_search_routes()
    {
        var (sam, _) = await fixture.User("sam", Roles.Viewer);
        var (val, _) = await fixture.User("val", Roles.Viewer);

        // A run that does not exist answers 404 at once: what is counted is the request, not the search's work.
        for (int i = 0; i < RateLimitedApp.Searches; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await Search(sam)).StatusCode);

        await AssertRefused(await Search(sam), "RateLimits:Search");
        using var image = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "query.png" } };
        await AssertRefused(await sam.PostAsync("/api/runs/999999/search/image", image, Cancel), "RateLimits:Search");
        Assert.Equal(HttpStatusCode.NotFound, (await Search(val)).StatusCode);
        // Reading a run's index status is not a search.
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync("/api/runs/999999/search/index", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_users_api_token_shares_the_users_search_limit()
    {
        var (tia, _) = await fixture.User("tia", Roles.Viewer);
        var token = await ApiTokenTests.CreateToken(tia, "script", days: 7);
        var bearer = Accounts.Anonymous(fixture.App);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);

        for (int i = 0; i < RateLimitedApp.Searches; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await Search(i % 2 == 0 ? tia : bearer)).StatusCode);

        await AssertRefused(await Search(bearer), "RateLimits:Search");
        await AssertRefused(await Search(tia), "RateLimits:Search");
    }

    [Fact]
    public async Task The_search_page_and_the_rest_api_draw_on_one_budget_per_user()
    {
        var quota = fixture.App.Services.GetRequiredService<SearchQuota>();
        var (uma, umaId) = await fixture.User("uma", Roles.Viewer);
        var (_, winId) = await fixture.User("win", Roles.Viewer);

        for (int i = 0; i < RateLimitedApp.Searches; i++) Assert.Null(quota.Take(Principal(umaId)));

        await AssertRefused(await Search(uma), "RateLimits:Search");
        string? refusal = quota.Take(Principal(umaId));
        Assert.NotNull(refusal);
        Assert.Contains("RateLimits:Search", refusal, StringComparison.Ordinal);
        Assert.Contains("Try again in", refusal, StringComparison.Ordinal);
        Assert.Null(quota.Take(Principal(winId)));
    }

    [Fact]
    public async Task Uploads_and_folder_imports_past_the_limit_are_refused_for_that_user_only()
    {
        var (ivy, _) = await fixture.User("ivy");
        var (joe, _) = await fixture.User("joe");

        // Refused imports count too (a name is missing): the limit is on requests, before any work.
        Assert.Equal(HttpStatusCode.BadRequest, (await ivy.PostAsJsonAsync("/api/datasets/from-folder", new { path = "x" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ivy.PostAsync("/api/datasets", Upload(), Cancel)).StatusCode);

        await AssertRefused(await ivy.PostAsJsonAsync("/api/datasets/from-folder", new { path = "x" }, Cancel), "RateLimits:Imports");
        await AssertRefused(await ivy.PostAsync("/api/datasets", Upload(), Cancel), "RateLimits:Imports");
        Assert.Equal(HttpStatusCode.BadRequest, (await joe.PostAsJsonAsync("/api/datasets/from-folder", new { path = "x" }, Cancel)).StatusCode);
        // Reading is not importing.
        Assert.Equal(HttpStatusCode.OK, (await ivy.GetAsync("/api/datasets", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Sign_in_posts_past_the_limit_are_refused_per_address_and_user_name()
    {
        await Accounts.CreateUser(fixture.App, "kim", Roles.Viewer);
        var here = From("10.0.0.1");

        for (int i = 0; i < RateLimitedApp.Logins; i++)
            Assert.Equal(HttpStatusCode.OK, (await SignIn(here, "kim", "Wrong!pass1")).StatusCode); // the form again, with the error

        // Even the right password now waits: the limit holds before the password is checked.
        var refused = await SignIn(here, " KIM ", Accounts.Password);
        await AssertRefused(refused, "RateLimits:Login");
        Assert.DoesNotContain(Accounts.Cookies(refused), c => c.StartsWith("semicmr.auth=", StringComparison.Ordinal));
        // Another user name from this address, and this user name from another address, are other partitions.
        Assert.Equal(HttpStatusCode.OK, (await SignIn(here, "nobody-else", "Wrong!pass1")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignIn(From("10.0.0.2"), "kim", Accounts.Password)).StatusCode);
        // Showing the form is not an attempt.
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync(AuthExtensions.LoginPath, Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_limit_of_zero_switches_the_limit_off()
    {
        await using var baseApp = SemiCmrApp.InTempFolders("Accounts");
        await using var app = baseApp.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:Search:PermitLimit", "0"));
        string id = await Accounts.CreateUser(app, "lee", Roles.Viewer);
        var lee = Accounts.As(app, await Accounts.SignIn(app, "lee"));

        for (int i = 0; i < 4 * RateLimitedApp.Searches; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await Search(lee)).StatusCode);
        var quota = app.Services.GetRequiredService<SearchQuota>();
        for (int i = 0; i < 4 * RateLimitedApp.Searches; i++) Assert.Null(quota.Take(Principal(id)));
    }

    private static Task<HttpResponseMessage> Search(HttpClient client) =>
        client.PostAsJsonAsync("/api/runs/999999/search", new { itemId = "a" }, Cancel);

    private static async Task AssertRefused(HttpResponseMessage response, string setting)
    {
        var problem = await Problem.Read(response, HttpStatusCode.TooManyRequests);
        Assert.Contains(setting, problem.Detail, StringComparison.Ordinal);
        Assert.Contains("Try again in", problem.Detail, StringComparison.Ordinal);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    private static ClaimsPrincipal Principal(string userId) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test"));

    /// <summary>A client without cookies whose requests come from <paramref name="address"/>.</summary>
    private HttpClient From(string address) =>
        new(fixture.App.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(address)))
        {
            BaseAddress = fixture.App.Server.BaseAddress,
        };

    private static Task<HttpResponseMessage> SignIn(HttpClient client, string name, string password) =>
        Accounts.PostForm(client, AuthExtensions.LoginPath, new Dictionary<string, string> { ["Input.UserName"] = name, ["Input.Password"] = password });

    private static MultipartFormDataContent Upload() => new() { { new StringContent("no file"), "name" } };
}
