using System.Globalization;
using Microsoft.Playwright;

namespace SemiCmr.E2E;

/// <summary>Upload -> import -> budget -> run -> results -> search -> compare, in Debian's Chromium against the real app.</summary>
[Collection(TrainedDataset.Collection)]
public sealed class RunFlowTests(TrainedDataset data) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await data.Browser.ScreenshotIfFailed();

    [Fact]
    public async Task TheRunStartedFromTheFormShowsItsProgressToTheEndAndItsResults()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App);

        await page.GotoAsync($"/runs/{data.RunId}");

        await Assertions.Expect(page.Locator("[data-testid='run-progress']")).ToHaveAttributeAsync("data-value", "1");
        Assert.Equal(data.ProgressSeen.Order(), data.ProgressSeen);
        await Assertions.Expect(page.Locator("[data-testid='map-i2t']")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("\\d\\.\\d{3}"));
        await Assertions.Expect(page.Locator("[data-testid='pr-curves'] polyline")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid='confusion-matrix']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid='projection'] [data-kind='text']")).ToHaveCountAsync(12);
        await Assertions.Expect(page.Locator("[data-testid='chart-stage2'] polyline").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheRunPageShowsWhenTheRunWasCreatedInTheBrowsersTimeZoneNotTheServers()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App); // in Europe/Berlin, whatever the server's zone

        await page.GotoAsync($"/runs/{data.RunId}");

        var created = page.Locator("[data-testid='run-summary'] time");
        await Assertions.Expect(created).ToHaveAttributeAsync("datetime", new System.Text.RegularExpressions.Regex("Z$"));
        // UTC, labelled, until the browser has told the circuit its zone; then Berlin's time without a label.
        await Assertions.Expect(created).Not.ToContainTextAsync("UTC");
        var utc = DateTime.Parse((await created.GetAttributeAsync("datetime"))!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var berlin = TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal(berlin.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), await created.TextContentAsync());
    }

    [Fact]
    public async Task SearchingByAnItemListsTextsAndFreeTextOnAFeatureDatasetSaysWhyNot()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App);
        await page.GotoAsync($"/search?run={data.RunId}");

        await page.GetByRole(AriaRole.Tab, new() { Name = "By item" }).ClickAsync();
        await page.Locator("input[data-testid='item-query'], [data-testid='item-query'] input").First.FillAsync("item50");
        await page.Locator("[data-testid='search-item']").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid='text-hit']")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("[data-testid='result-range']")).ToContainTextAsync("of 60");
        await Browser.Screenshot(page, "05-search-by-item");
        await page.Locator("[data-testid='more-like-this']").Nth(1).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='query-caption']")).Not.ToContainTextAsync("item50");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Text → images" }).ClickAsync();
        await page.Locator("input[data-testid='text-query'], [data-testid='text-query'] input").First.FillAsync("a red bird");
        await page.Locator("[data-testid='search-text']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='search-why-not']")).ToContainTextAsync("came with its own text features");
        await Browser.Screenshot(page, "06-search-text-why-not");
    }

    [Fact]
    public async Task ALongRunShowsLiveProgressAndStopsWhenTheCancelIsConfirmed()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App);
        await page.GotoAsync($"/runs/new?datasetId={data.DatasetId}");
        // Thousands of stage-1 epochs on 36 items: long enough to watch, and it is cancelled anyway.
        await page.Locator("input[data-testid='option-options.stage1Epochs'], [data-testid='option-options.stage1Epochs'] input").First.FillAsync("5000");
        await page.Keyboard.PressAsync("Tab");
        await page.Locator("[data-testid='start-run']").ClickAsync();
        await Browser.WaitForUrl(page, new System.Text.RegularExpressions.Regex("/runs/\\d+$"));

        await Assertions.Expect(page.Locator("[data-testid='chart-stage1'] polyline").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid='run-eta']")).ToContainTextAsync("epoch");
        await Browser.Screenshot(page, "04b-run-live");
        await page.Locator("[data-testid='cancel-run']").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Cancel this run?");
        await page.Locator(".mud-dialog button").Filter(new() { HasText = "Cancel run" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid='status-chip']").First).ToContainTextAsync("cancelled");
        Assert.True(double.Parse((await page.Locator("[data-testid='run-progress']").GetAttributeAsync("data-value"))!,
            System.Globalization.CultureInfo.InvariantCulture) < 1);
        await Browser.Screenshot(page, "04c-run-cancelled");
    }

    [Fact]
    public async Task AnAdvancedOptionOutOfRangeShowsItsRuleAndBlocksTheStart()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App);
        await page.GotoAsync($"/runs/new?datasetId={data.DatasetId}");

        await page.GetByText("Advanced options").ClickAsync();
        var dropout = page.Locator("input[data-testid='option-options.dropout'], [data-testid='option-options.dropout'] input").First;
        await dropout.FillAsync("0.99");
        await page.Keyboard.PressAsync("Tab");

        await Assertions.Expect(page.Locator(".mud-input-control:has(input[data-testid='option-options.dropout'])")).ToContainTextAsync("must be between 0 and 0.95");
        await Assertions.Expect(page.Locator("[data-testid='start-run']")).ToBeDisabledAsync();
        await Browser.Screenshot(page, "03b-new-run-invalid-option");
        await page.Locator("[data-testid='preset-default']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='start-run']")).ToBeEnabledAsync();
    }

    [Fact]
    public async Task TwoRunsSelectedInTheTableAreComparedSideBySide()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App);
        await data.StartRun(page, "supervised", chooseBudget: true);
        await data.WatchToTheEnd(page);

        await page.GotoAsync("/runs");
        // Only succeeded runs (another test may have cancelled one): the status filter reloads the page of rows.
        await page.Locator("[data-testid='run-filters'] .mud-select").Filter(new() { HasText = "Status" }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "succeeded" }).ClickAsync();
        var checkboxes = page.Locator("[data-testid='runs-grid'] tbody tr input[type='checkbox']");
        await Assertions.Expect(checkboxes).ToHaveCountAsync(2);
        await checkboxes.Nth(0).CheckAsync(new() { Force = true });
        await checkboxes.Nth(1).CheckAsync(new() { Force = true });
        await Browser.Screenshot(page, "07-runs-table");
        await page.Locator("[data-testid='compare-runs']").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid='compare-table'] tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid='compare-pr'] polyline")).ToHaveCountAsync(4);
        await Browser.Screenshot(page, "08-compare");
    }
}
