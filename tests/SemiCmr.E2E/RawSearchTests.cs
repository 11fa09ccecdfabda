using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SemiCmr.Web.Data;

namespace SemiCmr.E2E;

/// <summary>A raw image-text dataset (TF-IDF texts) uploaded, trained and searched by free text and by an uploaded image.</summary>
public sealed class RawSearchTests(RawSearchTests.TrainedRawDataset data) : IClassFixture<RawSearchTests.TrainedRawDataset>, IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await data.Browser.ScreenshotIfFailed();

    [Fact]
    public async Task SearchingByTextShowsImageThumbnailsThatOpenTheFullImage()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App);
        await page.GotoAsync($"/search?run={data.RunId}");

        await page.Locator("input[data-testid='text-query'], [data-testid='text-query'] input").First.FillAsync("a red picture of fire and sunset");
        await page.Locator("[data-testid='search-text']").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid='image-hit']")).ToHaveCountAsync(24);
        await Assertions.Expect(page.Locator("[data-testid='thumbnail']").First).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await page.Locator("[data-testid='thumbnail']").First.EvaluateAsync<int>("img => img.naturalWidth") > 0);
        await Browser.Screenshot(page, "09-search-by-text");
        await Assertions.Expect(page.Locator("[data-testid='image-hit']").First).ToContainTextAsync("red");
        await page.Locator("[data-testid='thumbnail']").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='full-image']")).ToBeVisibleAsync();
        await Browser.Screenshot(page, "10-full-image");
    }

    [Fact]
    public async Task SearchingByAnUploadedImageListsTexts()
    {
        Browser.RequireChromium();
        var page = await data.Browser.NewPage(data.App);
        await page.GotoAsync($"/search?run={data.RunId}");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Image → texts" }).ClickAsync();
        await Browser.ChooseQueryImage(page, RawDatasetZip.QueryImage(data.App.DataDirectory + "-query", 2));

        await Assertions.Expect(page.Locator("[data-testid='text-hit']")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("[data-testid='query-caption']")).ToContainTextAsync("query-blue.png");
        await Browser.Screenshot(page, "11-search-by-image");
    }

    public sealed class TrainedRawDataset : IAsyncLifetime
    {
        public E2EApp App { get; private set; } = default!;
        public Browser Browser { get; } = new();
        public int RunId { get; private set; }

        public async ValueTask InitializeAsync()
        {
            if (Browser.ExecutablePath is null) return;
            App = new E2EApp();
            await Browser.InitializeAsync();
            var page = await Browser.NewPage(App);
            try
            {
                await page.GotoAsync("/datasets");
                await page.Locator("[data-testid='upload-name'] input, input[data-testid='upload-name']").First.FillAsync("tiny raw");
                await page.Keyboard.PressAsync("Tab");
                await page.Locator(".mud-select").Filter(new() { HasText = "Text encoder" }).First.ClickAsync();
                await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "TF-IDF" }).ClickAsync();
                string zip = RawDatasetZip.Write(App.DataDirectory + "-input");
                await Browser.ChooseUploadFile(page, zip);
                await page.Locator("[data-testid='upload-button']").ClickAsync();
                int datasetId = await WaitForReadyDataset();
                await Browser.Screenshot(page, "raw-01-import-ready");

                await page.GotoAsync($"/runs/new?datasetId={datasetId}");
                await page.Locator("input[data-testid='ratio'], [data-testid='ratio'] input").First.FillAsync("0.5");
                await page.Keyboard.PressAsync("Tab");
                await page.Locator("[data-testid='preset-quick']").ClickAsync();
                await page.Locator("[data-testid='start-run']").ClickAsync();
                await Browser.WaitForUrl(page, new Regex("/runs/\\d+$"));
                RunId = int.Parse(page.Url.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
                await Assertions.Expect(page.Locator("[data-testid='run-results']")).ToBeVisibleAsync(new() { Timeout = 120_000 });
            }
            catch
            {
                await Browser.Screenshot(page, "raw-failed-setup");
                throw;
            }
        }

        private async Task<int> WaitForReadyDataset()
        {
            var factory = App.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>();
            for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline; await Task.Delay(250))
            {
                await using var db = await factory.CreateDbContextAsync();
                var dataset = await db.Datasets.OrderByDescending(d => d.Id).FirstOrDefaultAsync();
                if (dataset?.Status == DatasetStatus.Failed) throw new InvalidOperationException($"The import failed: {dataset.Error}");
                if (dataset?.Status == DatasetStatus.Ready) return dataset.Id;
            }
            throw new TimeoutException("The raw dataset did not finish importing.");
        }

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            if (App is not null) await App.DisposeAsync();
        }
    }
}
