using Microsoft.Playwright;

namespace SemiCmr.E2E;

/// <summary>
/// Debian's Chromium driven by Playwright; no browser is ever downloaded. CHROMIUM_PATH overrides /usr/bin/chromium.
/// Without a Chromium the tests fail under CI=true (CI installs it) and are skipped elsewhere, saying why.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public static string? ExecutablePath { get; } =
        new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public static string ArtifactsFolder { get; } = Path.Combine(E2EApp.RepoRoot, "artifacts", "e2e");

    /// <summary>
    /// Waits until the page's address matches <paramref name="url"/>, by polling it. Blazor navigates inside the page
    /// (history.pushState) as soon as the server has answered; Playwright's WaitForURLAsync checks the address, then
    /// listens for a navigation, and a navigation landing between the two is missed: the wait then timed out after
    /// 60 s on a page that already showed the new run (seen in the raw-search fixture, twice in two sessions).
    /// Waiting for the document's load event as well could hang too; the assertions that follow wait for content.
    /// </summary>
    public static Task WaitForUrl(IPage page, System.Text.RegularExpressions.Regex url) =>
        Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 60_000 });

    private IPlaywright? playwright;
    public IBrowser Chromium { get; private set; } = default!;

    public static void RequireChromium()
    {
        if (ExecutablePath is not null) return;
        const string why = "No Chromium found at $CHROMIUM_PATH, /usr/bin/chromium or /usr/bin/chromium-browser (apt-get install chromium).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(why);
        Assert.Skip(why);
    }

    public async ValueTask InitializeAsync()
    {
        if (ExecutablePath is null) return;
        Directory.CreateDirectory(ArtifactsFolder);
        playwright = await Playwright.CreateAsync();
        Chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (no cookies) on the app, signed in as its admin unless <paramref name="signIn"/> is false.</summary>
    public async Task<IPage> NewPage(E2EApp app, int width = 1366, int height = 900, bool signIn = true)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height }, TimezoneId = "Europe/Berlin",
        });
        // Generous: a machine with two cores may be busy, and the first page of an app compiles its components.
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        LastPage = page;
        page.Console += (_, message) => { if (message.Type is "error" or "warning") Log($"[browser {message.Type}] {page.Url}: {message.Text}"); };
        page.PageError += (_, error) => Log($"[page error] {page.Url}: {error}");
        if (signIn) await SignIn(page, app);
        return page;
    }

    /// <summary>
    /// Signs the page in as the app's admin: through the first-start page if no account exists yet (it creates the
    /// admin and signs in), else through the login page. Both are static forms that land on the dashboard.
    /// </summary>
    public static async Task SignIn(IPage page, E2EApp app)
    {
        if (!app.AdminCreated)
        {
            await page.GotoAsync("/account/setup");
            await page.Locator("[data-testid='setup-user']").FillAsync(E2EApp.AdminName);
            await page.Locator("[data-testid='setup-password']").FillAsync(E2EApp.AdminPassword);
            await page.Locator("[data-testid='setup-confirm']").FillAsync(E2EApp.AdminPassword);
            await page.Locator("[data-testid='setup-submit']").ClickAsync();
            app.AdminCreated = true;
        }
        else
        {
            await SignIn(page, E2EApp.AdminName, E2EApp.AdminPassword);
            return;
        }
        await Assertions.Expect(page.Locator("[data-testid='signed-in-user']")).ToHaveTextAsync(E2EApp.AdminName, new() { Timeout = 60_000 });
    }

    /// <summary>Signs the page in through the login page as an existing user (see <see cref="E2EApp.CreateUser"/>); it lands on the dashboard.</summary>
    public static async Task SignIn(IPage page, string userName, string password)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("[data-testid='login-user']").FillAsync(userName);
        await page.Locator("[data-testid='login-password']").FillAsync(password);
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='signed-in-user']")).ToHaveTextAsync(userName, new() { Timeout = 60_000 });
    }

    /// <summary>
    /// Gives the Datasets page's upload panel a file. The panel wires its hidden file input from JS after its first
    /// render (slow on a busy machine), and a file set before that is lost: Chromium fires no second change event
    /// for the same file. So wait until the panel says it is wired, then set the file, clearing it before a retry.
    /// </summary>
    public static async Task ChooseUploadFile(IPage page, string path)
    {
        await Assertions.Expect(page.Locator("[data-testid='upload-zone']")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 60_000 });
        await SetFileUntil(page, page.Locator("[data-testid='upload-input']"), path, page.Locator("[data-testid='upload-file']"), "The upload panel never took the file.");
    }

    /// <summary>
    /// Gives the search page's image query a file. Its file input is wired by MudFileUpload from JS after the tab renders,
    /// with nothing to wait for on the page, and a file set before that is lost: so set it again (cleared first, as
    /// Chromium fires no second change event for the same file) until the hits of the search appear.
    /// </summary>
    public static Task ChooseQueryImage(IPage page, string path) =>
        // After a change MudFileUpload can hold a second input: the newest one is the one it listens to.
        SetFileUntil(page, page.Locator("input[type='file']").Last, path, page.Locator("[data-testid='query-caption']"), "The search page never searched with the image.");

    /// <summary>Sets <paramref name="path"/> on <paramref name="input"/>, again after a pause, until <paramref name="taken"/> shows up.</summary>
    private static async Task SetFileUntil(IPage page, ILocator input, string path, ILocator taken, string failure)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); await taken.CountAsync() == 0;)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(failure);
            await input.SetInputFilesAsync(Array.Empty<string>());
            await input.SetInputFilesAsync(path);
            for (int wait = 0; wait < 10 && await taken.CountAsync() == 0; wait++) await page.WaitForTimeoutAsync(500);
        }
    }

    private static readonly Lock LogGate = new();

    /// <summary>Browser console errors and warnings go to artifacts/e2e/browser-console.log: the first thing to read when a step times out.</summary>
    private static void Log(string line)
    {
        lock (LogGate) File.AppendAllText(Path.Combine(ArtifactsFolder, "browser-console.log"), $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n");
    }

    /// <summary>The page most recently opened (tests of one class run one after the other).</summary>
    public IPage? LastPage { get; private set; }

    /// <summary>Called from a test class's DisposeAsync: a failed test leaves a screenshot of where it stopped.</summary>
    public async Task ScreenshotIfFailed()
    {
        if (TestContext.Current.TestState?.Result != TestResult.Failed || LastPage is null) return;
        try { await Screenshot(LastPage, "failed-" + TestContext.Current.TestMethod?.MethodName); }
        catch (PlaywrightException) { } // the page may be gone with the failure
    }

    /// <summary>Saves a full-page screenshot as artifacts/e2e/{name}.png.</summary>
    public static async Task Screenshot(IPage page, string name)
    {
        await page.WaitForTimeoutAsync(300); // let MudBlazor's transitions settle
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        playwright?.Dispose();
    }
}
