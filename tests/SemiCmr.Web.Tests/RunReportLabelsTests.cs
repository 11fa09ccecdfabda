using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Components.Runs;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.RunReports;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>
/// The database holds an item's labels; a run records the labels it was trained with, and its report keeps using
/// them after an annotation, saying how many items' labels changed since.
/// </summary>
public sealed class RunReportLabelsTests : IAsyncLifetime
{
    private static readonly FeatureSampleSpec Spec = new(Classes: 4, TrainItems: 200, TestItems: 60, ImageDim: 16, TextDim: 8);
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AnnotatingAnItemLeavesAFinishedRunsReportAsItWasAndTheNextRunUsesTheNewLabel()
    {
        var (datasetId, row, newLabel) = await ImportAndPickTestItem();
        int first = await Train(datasetId);
        var before = await Report(first);

        await Annotate(datasetId, row, newLabel);
        var after = await Report(first);
        // Computed afresh (no cached report), as after a restart.
        var recomputed = RunReportResponse.From(first, (await ActivatorUtilities.CreateInstance<RunReportService>(app.Services).Get(first, Cancel)).Value!);
        int second = await Train(datasetId);
        var next = await Report(second);

        Assert.Equal(("run", (int?)0), (before.Labels.Source, before.Labels.ChangedSince));
        Assert.Equal(before.ClassAp.Rows, recomputed.ClassAp.Rows);
        Assert.Equal(before.Projection.Select(p => p.Label), recomputed.Projection.Select(p => p.Label));
        Assert.Equal(1, recomputed.Labels.ChangedSince);
        Assert.Equal(("run", (int?)1), (after.Labels.Source, after.Labels.ChangedSince));
        Assert.Equal("1 item's labels changed since this run was trained; its results use the labels it was trained with.", after.Labels.Note);
        Assert.Equal(0, next.Labels.ChangedSince);
        Assert.Equal(Queries(before, newLabel) + 1, Queries(next, newLabel));
    }

    [Fact]
    public async Task TheRunPageSaysHowManyItemsLabelsChangedSinceTheRun()
    {
        var (datasetId, row, newLabel) = await ImportAndPickTestItem();
        int runId = await Train(datasetId);
        await Annotate(datasetId, row, newLabel);

        var report = (await app.Services.GetRequiredService<RunReportService>().Get(runId, Cancel)).Value!;
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Cancel);
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, Cancel);
        await using var context = MudTestContext.Create();
        var results = context.Render<RunResults>(p => p.Add(r => r.Run, run).Add(r => r.Report, report));

        Assert.Contains("1 item's labels changed since this run was trained", results.Find("[data-testid=report-labels]").TextContent);
    }

    [Fact]
    public async Task ARunSavedWithoutItsLabelsIsReportedWithTodaysLabelsAndSaysSo()
    {
        var (datasetId, row, newLabel) = await ImportAndPickTestItem();
        int runId = await Train(datasetId);
        File.Delete(Path.Combine(app.Services.GetRequiredService<AppPaths>().Run(runId), ModelFiles.Labels)); // as runs saved before labels were recorded

        var before = await Report(runId);
        await Annotate(datasetId, row, newLabel);
        var after = await Report(runId);

        Assert.Equal(("today", (int?)null), (before.Labels.Source, before.Labels.ChangedSince));
        Assert.Contains("the dataset's labels of today", before.Labels.Note);
        Assert.Equal(Queries(before, newLabel) + 1, Queries(after, newLabel));
    }

    /// <summary>A generated dataset, its first test item and a class other than the item's own.</summary>
    private async Task<(int DatasetId, int Row, string NewLabel)> ImportAndPickTestItem()
    {
        string folder = FeatureSamples.Write(Path.Combine(app.ImportRoot, "features"), Spec);
        var features = FeatureDatasetReader.Read(folder);
        int datasetId = await app.ImportFolder(folder, "features");
        await app.WaitForDataset(datasetId);
        int row = features.IndicesOf(Split.Test).First(r => features.Items[r].HasLabels);
        string newLabel = features.ClassNames.Where((_, c) => c != features.Items[row].Labels[0]).First();
        return (datasetId, row, newLabel);
    }

    private async Task<int> Train(int datasetId)
    {
        var run = await app.StartRun(new { datasetId, method = "sscmr", labelRatio = 0.2, seed = 1, options = new { stage1Epochs = 1, stage2Epochs = 1 } });
        run = await app.WaitForRun(run.Id, r => r.Status is not (RunStatus.Queued or RunStatus.Running));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        return run.Id;
    }

    private async Task Annotate(int datasetId, int row, string label)
    {
        var edit = await app.CreateClient().PutAsJsonAsync($"/api/datasets/{datasetId}/items/{row}/labels", new { labels = new[] { label } }, Cancel);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
    }

    private async Task<RunReportResponse> Report(int runId) =>
        (await app.CreateClient().GetFromJsonAsync<RunReportResponse>($"/api/runs/{runId}/report", Json.Options, Cancel))!;

    /// <summary>How many test items of a class query in the report's per-class AP.</summary>
    private static int Queries(RunReportResponse report, string label) => report.ClassAp.Rows.Single(r => r.Name == label).Queries;
}
