using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Components.Pages;
using SemiCmr.Web.Components.Pages.Datasets;
using SemiCmr.Web.Components.Pages.Runs;
using SemiCmr.Web.Components.Runs;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.RunReports;
using SemiCmr.Web.Runs;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components;

/// <summary>
/// A page and its API list show the same rows in the same order (#10): the pages are rendered against the real app's
/// services, the API is asked over HTTP, on rows written straight into the app's database (four datasets, six runs).
/// </summary>
public sealed class PagesAndApiListsTests : IAsyncLifetime
{
    // Never trains: on PostgreSQL the database is the queue, and a worker would claim the queued row written below.
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders().WithSetting("Worker:Enabled", "false");
    private HttpClient client = null!;
    private int alpha, beta, gamma, delta;
    private readonly List<int> runs = [];
    private static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        client = app.CreateClient(); // starts the app: the database is migrated
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Token);
        var datasets = new[] { ("alpha", DatasetStatus.Ready), ("beta", DatasetStatus.Failed), ("gamma", DatasetStatus.Ready), ("delta", DatasetStatus.Importing) }
            .Select(d => new Dataset { Name = d.Item1, Source = "folder", Status = d.Item2, Classes = ["cat", "dog"], CreatedAt = DateTime.UtcNow })
            .ToList();
        db.Datasets.AddRange(datasets);
        await db.SaveChangesAsync(Token);
        (alpha, beta, gamma, delta) = (datasets[0].Id, datasets[1].Id, datasets[2].Id, datasets[3].Id);

        Run[] rows =
        [
            NewRun(alpha, Method.Supervised, 1.0, RunStatus.Succeeded, 0.5, 0.6),
            NewRun(alpha, Method.Sscmr, 0.1, RunStatus.Failed),
            NewRun(gamma, Method.Full, 0.5, RunStatus.Succeeded, 0.7, 0.8),
            NewRun(gamma, Method.Cca, 0.5, RunStatus.Cancelled),
            NewRun(alpha, Method.Sscmr, 0.5, RunStatus.Succeeded, 0.4, 0.3),
            // Written after start-up, so the worker never sees it: it stays queued.
            NewRun(gamma, Method.Supervised, 0.1, RunStatus.Queued),
        ];
        db.Runs.AddRange(rows);
        db.Budgets.AddRange(NewBudget(gamma, 1), NewBudget(gamma, 2), NewBudget(alpha, 3));
        await db.SaveChangesAsync(Token);
        runs.AddRange(rows.Select(r => r.Id));
    }

    [Fact]
    public async Task TheDatasetsPageListsTheRowsOfGetApiDatasetsNewestFirst()
    {
        var api = await Get<List<DatasetResponse>>("/api/datasets");
        await using var context = PageContext();

        var page = context.Render<DatasetsList>();
        page.WaitForElement("[data-testid='datasets-table']");
        var shown = page.FindAll("[data-testid='datasets-table'] tbody tr td:first-child").Select(td => td.TextContent.Trim());

        Assert.Equal([delta, gamma, beta, alpha], api.Select(d => d.Id));
        Assert.Equal(api.Select(d => d.Name), shown);
    }

    [Fact]
    public async Task TheNewRunPageOffersTheReadyDatasetsAndTheBudgetsTheApiLists()
    {
        var ready = await Get<List<DatasetResponse>>("/api/datasets?status=ready");
        var budgets = await Get<List<BudgetSummary>>($"/api/datasets/{gamma}/budgets");
        await using var context = PageContext();

        var page = context.Render<NewRun>();
        page.WaitForElement("[data-testid='run-form']");
        var form = page.FindComponent<RunForm>().Instance;

        Assert.Equal([gamma, alpha], ready.Select(d => d.Id));
        Assert.Equal(ready.Select(d => d.Id), form.Datasets.Select(d => d.Id));
        Assert.Equal(gamma, form.Model.DatasetId); // the newest ready dataset is chosen first
        Assert.Equal(2, budgets.Count);
        Assert.Equal(budgets, form.Budgets);
    }

    [Fact]
    public async Task TheRunsPageShowsTheRowsOfGetApiRunsInTheSameOrder()
    {
        var api = await Get<List<RunResponse>>("/api/runs");
        await using var context = PageContext();

        var page = context.Render<RunsList>();
        page.WaitForAssertion(() => Assert.Equal(runs.Count, page.FindAll("[data-testid='run-link']").Count), TimeSpan.FromSeconds(10));
        var shown = page.FindAll("[data-testid='run-link']").Select(a => int.Parse(a.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(Enumerable.Reverse(runs), api.Select(r => r.Id));
        Assert.Equal(api.Select(r => r.Id), shown);
    }

    [Fact]
    public async Task TheDashboardShowsTheNewestRunsAndTheQueueOfGetApiRuns()
    {
        var newest = await Get<List<RunResponse>>("/api/runs");
        var queued = await Get<List<RunResponse>>("/api/runs?status=queued");
        await using var context = PageContext();

        var page = context.Render<Dashboard>();
        page.WaitForElement("[data-testid='queue-card']", TimeSpan.FromSeconds(30)); // the device card resolves libtorch first
        var shown = page.FindAll("table tbody tr td:first-child").Select(td => td.TextContent.Trim());

        Assert.Equal(newest.Take(8).Select(r => $"#{r.Id}"), shown);
        Assert.Equal(runs[^1], Assert.Single(queued).Id);
        Assert.Contains("1 queued", page.Find("[data-testid='queue-card']").TextContent);
    }

    [Fact]
    public async Task GetApiRunsFiltersAndSortsAsTheRunsPageAndItsCsv()
    {
        var table = app.Services.GetRequiredService<RunTable>();
        (string Query, RunFilter Filter, string? SortBy, bool Descending)[] cases =
        [
            ("", new RunFilter(), null, true),
            ($"?datasetId={alpha}", new RunFilter(DatasetId: alpha), null, true),
            ("?method=SSCMR&status=succeeded", new RunFilter(Method: Method.Sscmr, Status: RunStatus.Succeeded), null, true),
            ("?ratio=0.5&sortBy=meanMap", new RunFilter(Ratio: 0.5), nameof(RunRow.MeanMap), false),
            ("?sortBy=DatasetName&descending=true", new RunFilter(), nameof(RunRow.DatasetName), true),
        ];

        foreach (var (query, filter, sortBy, descending) in cases)
        {
            var api = await Get<List<RunResponse>>("/api/runs" + query);
            var (rows, total) = await table.Query(filter, sortBy, descending, 0, 20, Token); // what the runs page asks for

            Assert.True(rows.Select(r => r.Id).SequenceEqual(api.Select(r => r.Id)), $"GET /api/runs{query}");
            Assert.Equal(total, api.Count);
            if (sortBy is null) Assert.Equal(api.Select(r => r.Id), await CsvIds("/api/runs/export.csv" + query));
        }
        Assert.Equal([runs[4]], (await Get<List<RunResponse>>("/api/runs?method=sscmr&status=succeeded")).Select(r => r.Id));
        // Ascending mean MAP, the cancelled run's missing MAP last (on either database).
        Assert.Equal([runs[4], runs[2], runs[3]], (await Get<List<RunResponse>>("/api/runs?ratio=0.5&sortBy=meanMap")).Select(r => r.Id));
    }

    [Fact]
    public async Task InSingleUserModeTheLocalAdminIsOfferedEveryActionAndNoOwners()
    {
        await using var context = PageContext();
        Auth.TestUsers.SignIn(context, app.Services, LocalUserHandler.UserId, "local", Roles.Admin); // what LocalUserHandler signs in

        var datasetsPage = context.Render<DatasetsList>();
        datasetsPage.WaitForElement("[data-testid='datasets-table']");
        Assert.Single(datasetsPage.FindAll("[data-testid='upload-zone']"));
        Assert.DoesNotContain("Owner", datasetsPage.Find("[data-testid='datasets-table'] thead").TextContent);

        var runsPage = context.Render<RunsList>();
        runsPage.WaitForAssertion(() => Assert.Equal(runs.Count, runsPage.FindAll("[data-testid='run-link']").Count), TimeSpan.FromSeconds(10));
        Assert.Single(runsPage.FindAll("[data-testid='new-run']"));
        Assert.Empty(runsPage.FindAll("[data-testid='run-owner']"));

        // The queued run, written without an owner as rows from before accounts are: the admin may change it.
        var runPage = context.Render<RunDetails>(p => p.Add(r => r.Id, runs[^1]));
        runPage.WaitForElement("[data-testid='run-summary']");
        Assert.Single(runPage.FindAll("[data-testid='cancel-run']"));
        Assert.Single(runPage.FindAll("[data-testid='delete-run']"));
        Assert.DoesNotContain(" by ", runPage.Find("[data-testid='run-summary']").TextContent);
    }

    [Theory]
    [InlineData("/api/datasets?status=done", "status")]
    [InlineData("/api/datasets?status=1", "status")]
    [InlineData("/api/runs?status=done", "status")]
    [InlineData("/api/runs?method=bogus", "method")]
    [InlineData("/api/runs?sortBy=colour", "sortBy")]
    public async Task AListRefusesAnUnknownFilterOrColumnNamingIt(string url, string field)
    {
        var problem = await Problem.Read(await client.GetAsync(url, Token), HttpStatusCode.BadRequest);

        Assert.Contains("Unknown", Assert.Single(problem.Errors[field]));
    }

    /// <summary>A bUnit context whose pages resolve the running app's services (the same ones its endpoints use).</summary>
    private BunitContext PageContext()
    {
        var context = MudTestContext.Create();
        context.Services.AddFallbackServiceProvider(app.Services);
        return context;
    }

    private async Task<T> Get<T>(string url) => (await client.GetFromJsonAsync<T>(url, Json.Options, Token))!;

    private async Task<IEnumerable<int>> CsvIds(string url) =>
        (await client.GetStringAsync(url, Token)).TrimEnd('\n').Split('\n').Skip(1)
            .Select(line => int.Parse(line.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));

    private static Run NewRun(int datasetId, Method method, double ratio, RunStatus status, double? mapI2T = null, double? mapT2I = null) => new()
    {
        DatasetId = datasetId, Method = method, LabelRatio = ratio, Seed = 1, Status = status, MapI2T = mapI2T, MapT2I = mapT2I,
        OptionsJson = RunJson.Serialize(TrainingOptions.Default), CreatedAt = DateTime.UtcNow,
    };

    private static LabelBudget NewBudget(int datasetId, int seed) => new()
    {
        DatasetId = datasetId, Kind = BudgetKind.Manual, Seed = seed, LabeledRows = [], CreatedAt = DateTime.UtcNow,
    };

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }
}
