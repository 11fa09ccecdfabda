namespace SemiCmr.E2E;

/// <summary>The run and search pages at laptop and tablet widths, light and dark: nothing overflows sideways. Screenshots for a look.</summary>
[Collection(TrainedDataset.Collection)]
public sealed class LayoutTests(TrainedDataset data) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await data.Browser.ScreenshotIfFailed();

    [Theory]
    [InlineData(1366, "light")]
    [InlineData(1366, "dark")]
    [InlineData(768, "light")]
    [InlineData(768, "dark")]
    public async Task RunAndSearchPagesFitTheWindow(int width, string theme)
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App, width, width > 1000 ? 900 : 1024);
        string[] paths = [$"/runs/{data.RunId}", "/runs", "/runs/new", $"/search?run={data.RunId}"];
        var overflowing = new List<string>();

        foreach (var path in paths)
        {
            await page.GotoAsync(path + (path.Contains('?') ? "&" : "?") + "theme=" + theme);
            await page.Locator("h4, .mud-typography-h4").First.WaitForAsync();
            await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
            await Browser.Screenshot(page, $"layout-{width}-{theme}-{path.Trim('/').Split('?')[0].Replace('/', '-')}");
            if (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"))
                overflowing.Add(path);
        }

        Assert.Empty(overflowing);
    }
}
