using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.RunReports;

namespace SemiCmr.Web.Tests.Components.Runs;

/// <summary>The runs table's server-side filters, sorting and paging, its CSV export and a run's report, on three tiny runs.</summary>
public sealed class RunTableTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private readonly List<int> runs = [];
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        int datasetId = await app.ImportFolder(TinyDatasets.Write(app.ImportRoot, "tiny"), "tiny, \"quoted\"");
        Assert.Equal(DatasetStatus.Ready, (await app.WaitForDataset(datasetId)).Status);
        var options = new { stage1Epochs = 1, stage2Epochs = 1 };
        foreach (var (method, ratio) in new[] { ("supervised", 1.0), ("supervised", 0.5), ("full", 1.0) })
        {
            var run = await app.StartRun(new { datasetId, method, labelRatio = ratio, options });
            runs.Add(run.Id);
        }
        foreach (var id in runs) await app.WaitForRun(id, r => r.Status is not (RunStatus.Queued or RunStatus.Running));
    }

    private RunTable Table => app.Services.GetRequiredService<RunTable>();

    [Fact]
    public async Task FiltersNarrowTheRowsAndTheTotal()
    {
        var (byMethod, methodTotal) = await Table.Query(new RunFilter(Method: Method.Full), null, true, 0, 10, Token);
        var (byRatio, ratioTotal) = await Table.Query(new RunFilter(Ratio: 0.5), null, true, 0, 10, Token);
        var (none, noneTotal) = await Table.Query(new RunFilter(Status: RunStatus.Failed), null, true, 0, 10, Token);

        Assert.Equal((runs[2], 1), (Assert.Single(byMethod).Id, methodTotal));
        Assert.Equal((runs[1], 1), (Assert.Single(byRatio).Id, ratioTotal));
        Assert.Equal(0, noneTotal);
        Assert.Empty(none);
    }

    [Fact]
    public async Task PagesFollowTheChosenSortAndNewestComeFirstByDefault()
    {
        var (firstPage, total) = await Table.Query(new RunFilter(), null, true, 0, 2, Token);
        var (secondByRatio, _) = await Table.Query(new RunFilter(), nameof(RunRow.LabelRatio), false, 1, 1, Token);

        Assert.Equal(3, total);
        Assert.Equal([runs[2], runs[1]], firstPage.Select(r => r.Id));
        Assert.Equal(1.0, Assert.Single(secondByRatio).LabelRatio); // 0.5 first, then one of the two 1.0 runs
    }

    [Fact]
    public async Task CsvExportHoldsTheFilteredRowsWithTheDatasetNameQuoted()
    {
        var response = await app.CreateClient().GetAsync("/api/runs/export.csv?method=supervised", Token);
        var lines = (await response.Content.ReadAsStringAsync(Token)).TrimEnd('\n').Split('\n');

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("id,dataset,method,labelRatio", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{runs[1]},\"tiny, \"\"quoted\"\"\",supervised,0.5,", lines[1]);
    }

    [Fact]
    public async Task CsvExportRefusesAnUnknownStatus()
    {
        var response = await app.CreateClient().GetAsync("/api/runs/export.csv?status=done", Token);

        Assert.Contains("Unknown status 'done'", (await Problem.Read(response, HttpStatusCode.BadRequest)).Errors["status"][0]);
    }

    [Fact]
    public async Task ASucceededRunsReportProjectsBothModalitiesOfEveryTestItem()
    {
        var report = (await app.Services.GetRequiredService<RunReportService>().Get(runs[0], TestContext.Current.CancellationToken)).Value!;

        Assert.Equal(4, report.Projection.Count); // 2 test items x (image, text)
        Assert.Equal(2, report.Projection.Count(p => p.IsImage));
        Assert.Equal(["cat", "dog"], report.Classes);
        Assert.Equal(2, report.ClassAp.Rows.Count);
        Assert.Equal(11, report.Evaluation.ImageToText.PrecisionRecall.Count);
    }

    [Fact]
    public async Task TheReportApiAnswersWithTheClassesByNameAndRefusesAnUnknownRun()
    {
        var client = app.CreateClient();
        var report = await client.GetFromJsonAsync<RunReportResponse>($"/api/runs/{runs[0]}/report", Json.Options, Token);
        var missing = await client.GetAsync("/api/runs/9999/report", Token);

        Assert.Equal(["cat", "dog"], report!.ClassAp.Rows.Select(r => r.Name));
        Assert.Equal((2, 0), (report.ClassCount, report.ClassAp.MoreClasses));
        Assert.Equal(4, report.Projection.Count);
        Assert.Contains("Run 9999", (await Problem.Read(missing, HttpStatusCode.NotFound)).Errors["id"][0]);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
