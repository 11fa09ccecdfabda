using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace SemiCmr.E2E;

/// <summary>
/// The app works under its Content Security Policy: the main pages, from the sign-in form on, used as a person would
/// (a search, a select's popover, the dark theme), raise no CSP violation: neither a <c>securitypolicyviolation</c>
/// event nor Chromium's console report, and no style or script is refused for its type (nosniff). The watch itself is
/// checked by an inline script it must see blocked.
/// </summary>
[Collection(TrainedDataset.Collection)]
public sealed class ContentSecurityPolicyTests(TrainedDataset data) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await data.Browser.ScreenshotIfFailed();

    [Fact]
    public async Task TheMainPagesRaiseNoContentSecurityPolicyViolation()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App, signIn: false);
        var violations = await Watch(page);

        await Browser.SignIn(page, data.App);
        foreach (var path in new[] { "/", "/datasets", $"/datasets/{data.DatasetId}", "/runs", $"/runs/{data.RunId}", "/runs/new", "/account/tokens" })
            await Visit(page, path);

        await Visit(page, $"/search?run={data.RunId}&theme=dark");
        await page.GetByRole(AriaRole.Tab, new() { Name = "By item" }).ClickAsync();
        await page.Locator("input[data-testid='item-query'], [data-testid='item-query'] input").First.FillAsync("item50");
        await page.Locator("[data-testid='search-item']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='text-hit']")).ToHaveCountAsync(10);
        await page.Locator("[data-testid='run-select']").First.ClickAsync(new() { Force = true });
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Empty(violations);

        // The watch sees a violation when there is one: an inline script is blocked and reported.
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.body.appendChild(s); }");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); violations.IsEmpty && DateTime.UtcNow < deadline;) await page.WaitForTimeoutAsync(100);
        Assert.Contains(violations, v => v.Contains("script-src", StringComparison.Ordinal));
        Assert.False(await page.EvaluateAsync<bool>("() => window.inlineRan === true"));
    }

    [Fact]
    public async Task TheApiReferenceWorksUnderItsPolicy()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App);
        var violations = await Watch(page);

        await page.GotoAsync("/scalar/v1");
        // Scalar's inline start-up script ran (it carries the answer's nonce): the reference lists the API's routes. The
        // app builds its OpenAPI document on the first request for it, and Scalar then parses it: on a loaded 2-core
        // machine that passed Playwright's default 5 s once (CI), so this wait is longer.
        await Assertions.Expect(page.GetByText("/api/datasets/from-folder").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // Scalar bundles Zod, which probes once whether it may compile code (try { Function('') } catch) and, refused,
        // validates without it: that refusal is the policy working, not the page failing. Anything else counts.
        Assert.DoesNotContain(violations, v => !(v.Contains("script-src blocked eval", StringComparison.Ordinal) && v.Contains("/scalar/scalar.js", StringComparison.Ordinal)));
    }

    /// <summary>Opens <paramref name="path"/> and waits until its heading shows and the network is quiet (the circuit's work done).</summary>
    private static async Task Visit(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("h4, .mud-typography-h4, h5, .mud-typography-h5").First.WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>
    /// Collects every CSP violation of the page, across navigations: the <c>securitypolicyviolation</c> events (reported
    /// through a binding, which survives page loads) and Chromium's console messages about the policy, and the
    /// resources it refused under X-Content-Type-Options: nosniff.
    /// </summary>
    private static async Task<ConcurrentQueue<string>> Watch(IPage page)
    {
        var violations = new ConcurrentQueue<string>();
        await page.ExposeFunctionAsync("reportCspViolation", (string violation) => violations.Enqueue(violation));
        await page.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
                window.reportCspViolation(`${location.pathname}: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
            """);
        page.Console += (_, message) =>
        {
            // nosniff makes Chromium refuse a script or style answered with another type (a login redirect instead of app.css, say).
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("MIME type", StringComparison.Ordinal))
                violations.Enqueue($"{page.Url}: {message.Text}");
        };
        return violations;
    }
}
