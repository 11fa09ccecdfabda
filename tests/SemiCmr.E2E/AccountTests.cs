using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SemiCmr.E2E;

/// <summary>A fresh server in Accounts mode: the first page creates the admin; signing out and in again works in the browser.</summary>
public sealed class AccountTests : IAsyncLifetime
{
    private readonly Browser browser = new();
    private E2EApp app = default!;

    public async ValueTask InitializeAsync()
    {
        await browser.InitializeAsync();
        app = new E2EApp();
    }

    [Fact]
    public async Task TheFirstPageCreatesTheAdminWhoSignsOutAndInAgain()
    {
        Browser.RequireChromium();
        var page = await browser.NewPage(app, signIn: false);
        await page.GotoAsync("/runs");
        await Browser.WaitForUrl(page, new Regex("/account/setup$"));
        await Assertions.Expect(page.GetByText("Create the admin account").First).ToBeVisibleAsync();

        await Browser.SignIn(page, app); // fills the setup form: the admin is created and signed in
        await Browser.Screenshot(page, "account-signed-in");

        await page.Locator("[data-testid='sign-out']").ClickAsync();
        await Browser.WaitForUrl(page, new Regex("/account/logout$"));
        await page.Locator("[data-testid='logout-submit']").ClickAsync();
        await Browser.WaitForUrl(page, new Regex("/account/login"));

        await page.GotoAsync("/datasets");
        await Browser.WaitForUrl(page, new Regex("/account/login\\?ReturnUrl=%2Fdatasets"));
        await page.Locator("[data-testid='login-user']").FillAsync(E2EApp.AdminName);
        await page.Locator("[data-testid='login-password']").FillAsync("wrong-password");
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='login-error']")).ToContainTextAsync("wrong");

        await page.Locator("[data-testid='login-user']").FillAsync(E2EApp.AdminName);
        await page.Locator("[data-testid='login-password']").FillAsync(E2EApp.AdminPassword);
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Browser.WaitForUrl(page, new Regex("/datasets$"));
        await Assertions.Expect(page.Locator("[data-testid='signed-in-user']")).ToHaveTextAsync(E2EApp.AdminName);
    }

    [Fact]
    public async Task ATokenMadeOnTheTokensPageWorksUntilItIsRevokedThere()
    {
        Browser.RequireChromium();
        var page = await browser.NewPage(app);
        await page.Locator("[data-testid='user-menu']").ClickAsync();
        await page.Locator("[data-testid='menu-tokens']").ClickAsync();
        await Browser.WaitForUrl(page, new Regex("/account/tokens$"));

        await page.Locator("input[data-testid='token-name'], [data-testid='token-name'] input").First.FillAsync("browser test");
        await page.Locator("[data-testid='create-token']").ClickAsync();
        var secret = page.Locator("[data-testid='token-secret']");
        await Assertions.Expect(secret).ToContainTextAsync("scmr_");
        string token = (await secret.TextContentAsync())!.Trim();
        await Assertions.Expect(page.Locator("[data-testid='tokens-table']")).ToContainTextAsync("browser test");
        await Browser.Screenshot(page, "account-tokens");

        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/runs", TestContext.Current.CancellationToken)).StatusCode);

        await page.Locator("[data-testid='revoke-token']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='tokens-table']")).ToContainTextAsync("Revoked");
        await Assertions.Expect(page.Locator("[data-testid='token-secret']")).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/api/runs", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task AnAdminCreatesAUserWhoSetsTheirPasswordThroughTheLinkAndSignsIn()
    {
        Browser.RequireChromium();
        var page = await browser.NewPage(app);
        await page.Locator("[data-testid='nav-users']").ClickAsync();
        await Browser.WaitForUrl(page, new Regex("/admin/users$"));

        await page.Locator("input[data-testid='new-user-name'], [data-testid='new-user-name'] input").First.FillAsync("carol");
        await page.Locator("[data-testid='create-user']").ClickAsync();
        var shown = page.Locator("[data-testid='user-link-url']");
        await Assertions.Expect(shown).ToContainTextAsync("/account/set-password?user=");
        string link = (await shown.TextContentAsync())!.Trim();
        await Assertions.Expect(page.Locator("[data-testid='users-table']")).ToContainTextAsync("no password yet");
        await Browser.Screenshot(page, "account-users");

        // The invited user opens the link in a browser of their own.
        var invited = await browser.NewPage(app, signIn: false);
        await invited.GotoAsync(link);
        await Assertions.Expect(invited.Locator("[data-testid='set-password-user']")).ToContainTextAsync("carol");
        await invited.Locator("[data-testid='set-password-password']").FillAsync("Car0l!pass");
        await invited.Locator("[data-testid='set-password-confirm']").FillAsync("Car0l!pass");
        await invited.Locator("[data-testid='set-password-submit']").ClickAsync();
        await Assertions.Expect(invited.Locator("[data-testid='set-password-done']")).ToBeVisibleAsync();

        await invited.Locator("[data-testid='set-password-sign-in']").ClickAsync();
        await invited.Locator("[data-testid='login-user']").FillAsync("carol");
        await invited.Locator("[data-testid='login-password']").FillAsync("Car0l!pass");
        await invited.Locator("[data-testid='login-submit']").ClickAsync();
        await Assertions.Expect(invited.Locator("[data-testid='signed-in-user']")).ToHaveTextAsync("carol");
        // A viewer: no admin pages in the menu.
        await Assertions.Expect(invited.Locator("[data-testid='nav-users']")).ToHaveCountAsync(0);

        // The link worked once.
        await invited.GotoAsync(link);
        await Assertions.Expect(invited.Locator("[data-testid='set-password-error']")).ToContainTextAsync("does not work");

        await page.Locator("[data-testid='nav-audit']").ClickAsync();
        await Browser.WaitForUrl(page, new Regex("/admin/audit$"));
        await Assertions.Expect(page.Locator("[data-testid='audit-subject']").First).ToHaveTextAsync("user carol");
        await Browser.Screenshot(page, "account-audit");
    }

    public async ValueTask DisposeAsync()
    {
        await browser.ScreenshotIfFailed();
        if (app is not null) await app.DisposeAsync();
        await browser.DisposeAsync();
    }
}
