using System.Globalization;
using System.Net;
using System.Text;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Data;
using SemiCmr.Web.Components.Runs;
using SemiCmr.Web.RunReports;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>
/// A dataset whose items each carry their own label (as the Wiki features labelled by row: 2,866 classes): the run
/// page once grew the server from 2 to 8 GB drawing the classes x classes confusion matrix. Its report, API answer and
/// page must stay small whatever the number of classes.
/// </summary>
public sealed class ManyClassesReportTests(ManyClassesRun fixture) : IClassFixture<ManyClassesRun>
{
    private const int Classes = ManyClassesRun.Classes;
    private readonly SemiCmrApp app = fixture.App;
    private readonly int runId = fixture.RunId;
    private static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheReportListsAFewClassesAndSummarisesTheRest()
    {
        var report = (await app.Services.GetRequiredService<RunReportService>().Get(runId, Token)).Value!;

        Assert.InRange(report.ClassAp.Rows.Count, 1, ClassLimits.MaxShown);
        Assert.Equal(Classes - report.ClassAp.Rows.Count, report.ClassAp.MoreClasses);
        Assert.NotNull(report.ClassAp.Rest);
        var confusion = Assert.IsType<ConfusionMatrix>(report.Confusion);
        Assert.Equal(ClassLimits.MaxShown + 1, confusion.Counts.Length);
        Assert.All(confusion.Counts, row => Assert.Equal(ClassLimits.MaxShown + 1, row.Length));
        Assert.Equal(report.Predictions, confusion.Total);
        Assert.InRange(report.Projection.Count, 2, 2 * RunReportService.MaxProjectedItems);
    }

    [Fact]
    public async Task TheReportApiAnswerStaysSmall()
    {
        var response = await app.CreateClient().GetAsync($"/api/runs/{runId}/report", Token);
        string body = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(body.Length, 1, 256 * 1024);
        Assert.Contains("\"moreClasses\":" + (Classes - ClassLimits.MaxShown), body);
    }

    [Fact]
    public async Task TheRunPageResultsStaySmall()
    {
        var report = (await app.Services.GetRequiredService<RunReportService>().Get(runId, Token)).Value!;
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Token);
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, Token);
        await using var context = MudTestContext.Create();

        var results = context.Render<RunResults>(p => p.Add(r => r.Run, run).Add(r => r.Report, report));

        Assert.Equal(ClassLimits.MaxShown + 2, results.FindAll("[data-testid=confusion-matrix] tr").Count); // header + classes + other
        Assert.Equal(ClassLimits.MaxShown + 2, results.FindAll("[data-testid=class-ap] tr").Count); // header + classes + the rest
        Assert.Contains($"{(Classes - ClassLimits.MaxShown).ToString("N0", CultureInfo.InvariantCulture)} more classes", results.Find("[data-testid=class-ap-rest]").TextContent);
        Assert.InRange(results.Markup.Length, 1, 512 * 1024);
    }
}

/// <summary>One app with a 3,000-class dataset (each item its own class) and a short sscmr run on it, shared by the tests.</summary>
public sealed class ManyClassesRun : IAsyncLifetime
{
    public const int Classes = 3000, TrainItems = 2400, Dim = 16;
    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders();
    public int RunId { get; private set; }
    private static CancellationToken Token => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        string folder = Path.Combine(App.ImportRoot, "one-class-per-item");
        Directory.CreateDirectory(folder);
        var csv = new StringBuilder("id,split,labels\n");
        for (int i = 0; i < Classes; i++) csv.Append($"item{i:D4},{(i < TrainItems ? "train" : "test")},c{i:D4}\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "items.csv"), csv.ToString(), Token);
        var random = new Random(7);
        foreach (var file in new[] { "image_features.npy", "text_features.npy" })
            Npy.Write(Path.Combine(folder, file), new FeatureMatrix([.. Enumerable.Range(0, Classes * Dim).Select(_ => (float)random.NextDouble())], Classes, Dim));

        int datasetId = await App.ImportFolder(folder, "one class per item");
        Assert.Equal(DatasetStatus.Ready, (await App.WaitForDataset(datasetId)).Status);
        var run = await App.StartRun(new
        {
            datasetId, method = "sscmr", labelRatio = 0.5, seed = 1,
            options = new { stage1Epochs = 1, stage2Epochs = 1, hiddenDim = 32, commonDim = 16 },
        });
        var finished = await App.WaitForRun(run.Id, r => r.Status is not (RunStatus.Queued or RunStatus.Running), seconds: 300);
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        RunId = finished.Id;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
