using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SemiCmr.Web.Data;

namespace SemiCmr.E2E;

/// <summary>
/// Shared by the tests of one class: the app, the browser, and a dataset uploaded through the Datasets page whose
/// import finished, with a label budget and one run started from the new-run form and watched to the end.
/// </summary>
public sealed class TrainedDataset : IAsyncLifetime
{
    public const string Collection = "trained feature dataset";

    public E2EApp App { get; private set; } = default!;
    public Browser Browser { get; } = new();
    public int DatasetId { get; private set; }
    public int RunId { get; private set; }
    /// <summary>Progress values the run page showed while the fixture's run (RunId) trained, in order.</summary>
    public IReadOnlyList<double> ProgressSeen { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        if (Browser.ExecutablePath is null) return;
        App = new E2EApp();
        await Browser.InitializeAsync();
        var page = await Browser.NewPage(App);
        try
        {
            await Flow(page);
        }
        catch
        {
            await Browser.Screenshot(page, "failed-setup");
            throw;
        }
    }

    private async Task Flow(IPage page)
    {
        // Upload through the page and see the import finish.
        string zip = FeatureDatasetZip.Write(Path.Combine(App.DataDirectory + "-input"));
        await page.GotoAsync("/datasets?theme=light");
        await page.Locator("[data-testid='upload-name'] input, input[data-testid='upload-name']").First.FillAsync("tiny features");
        await page.Keyboard.PressAsync("Tab"); // MudTextField binds on change
        await Browser.ChooseUploadFile(page, zip);
        await page.Locator("[data-testid='upload-button']").ClickAsync();
        await Browser.Screenshot(page, "01-upload-sent");
        DatasetId = await WaitFor(async db => (await db.Datasets.OrderByDescending(d => d.Id).FirstOrDefaultAsync())?.Id);
        await page.GotoAsync("/datasets");
        await Assertions.Expect(page.Locator("[data-testid='datasets-table'] [data-testid='status-chip']").First).ToContainTextAsync("ready", new() { Timeout = 60_000 });
        await Browser.Screenshot(page, "02-import-ready");

        // Set a budget on the dataset page: 50 %, seed 1, previewed per class before saving.
        await page.GotoAsync($"/datasets/{DatasetId}");
        var percent = page.Locator("input[data-testid='budget-percent'], [data-testid='budget-percent'] input").First;
        await percent.FillAsync("50");
        await page.Keyboard.PressAsync("Tab");
        var seed = page.Locator("input[data-testid='budget-seed'], [data-testid='budget-seed'] input").First;
        await seed.FillAsync("1");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("[data-testid='budget-preview']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid='budget-save']")).ToBeEnabledAsync();
        await Browser.Screenshot(page, "02b-budget-preview");
        await page.Locator("[data-testid='budget-save']").ClickAsync();
        await WaitFor(async db => (await db.Budgets.FirstOrDefaultAsync(b => b.DatasetId == DatasetId && b.Ratio == 0.5 && b.Seed == 1))?.Id);

        RunId = await StartRun(page, "sscmr", chooseBudget: true);
        ProgressSeen = await WatchToTheEnd(page);
        await Browser.Screenshot(page, "04-run-results");
    }

    /// <summary>Fills the new-run form (Quick preset) and returns the id of the run it opened.</summary>
    public async Task<int> StartRun(IPage page, string method, bool chooseBudget)
    {
        await page.GotoAsync($"/runs/new?datasetId={DatasetId}");
        await Assertions.Expect(page.Locator("[data-testid='run-form']")).ToBeVisibleAsync();
        if (chooseBudget)
        {
            await page.Locator("[data-testid='budget-select']").First.ClickAsync(new() { Force = true });
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex("^#\\d+") }).First.ClickAsync();
        }
        await page.Locator($"[data-testid='method-{method}']").First.ClickAsync(new() { Force = true });
        await page.Locator("[data-testid='preset-quick']").ClickAsync();
        await Browser.Screenshot(page, $"03-new-run-{method}");
        await page.Locator("[data-testid='start-run']").ClickAsync();
        await Browser.WaitForUrl(page, new Regex("/runs/\\d+$"));
        return int.Parse(page.Url.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads the progress bar until the run's results show, then waits for the bar to reach the end;
    /// returns the distinct values seen, in order.</summary>
    public async Task<IReadOnlyList<double>> WatchToTheEnd(IPage page)
    {
        var seen = new List<double>();
        var bar = page.Locator("[data-testid='run-progress']");
        for (var deadline = DateTime.UtcNow.AddMinutes(2); DateTime.UtcNow < deadline; await Task.Delay(150))
        {
            if (await bar.GetAttributeAsync("data-value") is { } text && double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && (seen.Count == 0 || seen[^1] != value))
                seen.Add(value);
            if (await page.Locator("[data-testid='run-results']").CountAsync() > 0 || await page.Locator("[data-testid='error-state']").CountAsync() > 0) break;
        }
        await Assertions.Expect(page.Locator("[data-testid='run-results']")).ToBeVisibleAsync();
        // The results can render a moment before the bar's last sample was read: wait for the bar itself to end
        // rather than trusting the last sampled value.
        await Assertions.Expect(bar).ToHaveAttributeAsync("data-value", "1");
        if (seen.Count == 0 || seen[^1] != 1.0) seen.Add(1.0);
        return seen;
    }

    /// <summary>Polls the database (read-only) for a value the UI produced.</summary>
    public async Task<int> WaitFor(Func<SemiCmrDb, Task<int?>> probe)
    {
        var factory = App.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            await using var db = await factory.CreateDbContextAsync();
            if (await probe(db) is { } value) return value;
        }
        throw new TimeoutException("The app did not produce the expected row.");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        if (App is not null) await App.DisposeAsync();
    }
}

/// <summary>The flow and layout tests share one uploaded, trained dataset (and one app).</summary>
[CollectionDefinition(TrainedDataset.Collection)]
public sealed class TrainedDatasetCollection : ICollectionFixture<TrainedDataset>;
