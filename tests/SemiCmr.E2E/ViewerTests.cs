using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SemiCmr.Web.Auth;

namespace SemiCmr.E2E;

/// <summary>A viewer, signed in on the same app as the admin who uploaded and trained: they browse and search, and are offered nothing to change (#12).</summary>
[Collection(TrainedDataset.Collection)]
public sealed class ViewerTests(TrainedDataset data) : IAsyncDisposable
{
    private const string ViewerName = "viewer";
    private const string ViewerPassword = "E2e!viewer-pass1";

    public async ValueTask DisposeAsync() => await data.Browser.ScreenshotIfFailed();

    [Fact]
    public async Task AViewerSearchesButIsOfferedNoUploadTrainLabelOrDelete()
    {
        Browser.RequireChromium();
        await data.App.CreateUser(ViewerName, ViewerPassword, Roles.Viewer);
        var page = await data.Browser.NewPage(data.App, signIn: false);
        await Browser.SignIn(page, ViewerName, ViewerPassword);

        await page.GotoAsync("/datasets");
        await Assertions.Expect(page.Locator("[data-testid='dataset-owner']").First).ToHaveTextAsync(E2EApp.AdminName);
        await Assertions.Expect(page.Locator("[data-testid='upload-zone']")).ToHaveCountAsync(0);
        await Browser.Screenshot(page, "viewer-datasets");

        await page.GotoAsync($"/datasets/{data.DatasetId}");
        await Assertions.Expect(page.Locator("[data-testid='items-grid']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid='dataset-owner']")).ToContainTextAsync($"Owner: {E2EApp.AdminName}");
        foreach (string action in new[] { "delete-dataset", "new-run", "budget-save", "suggest-button" })
            await Assertions.Expect(page.Locator($"[data-testid='{action}']")).ToHaveCountAsync(0);
        await Browser.Screenshot(page, "viewer-dataset");

        await page.GotoAsync($"/runs/{data.RunId}");
        await Assertions.Expect(page.Locator("[data-testid='run-summary']")).ToContainTextAsync($"by {E2EApp.AdminName}");
        await Assertions.Expect(page.Locator("[data-testid='delete-run']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid='new-run']")).ToHaveCountAsync(0);
        await page.Locator("[data-testid='search-run']").ClickAsync();
        await Browser.WaitForUrl(page, new Regex($"/search\\?run={data.RunId}$"));

        await page.GetByRole(AriaRole.Tab, new() { Name = "By item" }).ClickAsync();
        await page.Locator("input[data-testid='item-query'], [data-testid='item-query'] input").First.FillAsync("item50");
        await page.Locator("[data-testid='search-item']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='text-hit']")).ToHaveCountAsync(10);
        await Browser.Screenshot(page, "viewer-search");
    }
}
