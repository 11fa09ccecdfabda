using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>Every time in the API's JSON is UTC ISO-8601 ending in 'Z', so a client never has to guess the zone.</summary>
public sealed class ApiTimeTests : IAsyncLifetime
{
    private static readonly DateTime Created = new(2026, 11, 29, 14, 5, 7, DateTimeKind.Utc);
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private int datasetId, runId;

    public async ValueTask InitializeAsync()
    {
        // Rows as the importer and the worker leave them (the app's own DbContext, so through its converter).
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync();
        var dataset = new Dataset
        {
            Name = "times", Source = "folder", Status = DatasetStatus.Ready, ItemCount = 2, Classes = ["cat", "dog"], CreatedAt = Created,
            ReadyAt = Created.AddMinutes(1),
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        await ItemRows.Insert(app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>(), dataset.Id,
            [new("a", Ml.Data.Split.Train, [0]), new("b", Ml.Data.Split.Test, [1])], new Progress<Ml.Import.ImportProgress>(), TimeProvider.System, TestContext.Current.CancellationToken);
        db.Budgets.Add(new LabelBudget { DatasetId = dataset.Id, Kind = BudgetKind.Manual, Seed = 1, LabeledRows = [0], CreatedAt = Created });
        var run = new Run
        {
            DatasetId = dataset.Id, Method = Method.Cca, LabelRatio = 1, Seed = 1, Status = RunStatus.Failed, Error = "stopped",
            OptionsJson = RunJson.Serialize(TrainingOptions.Default), CreatedAt = Created, StartedAt = Created.AddMinutes(2), FinishedAt = Created.AddMinutes(3),
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        db.EpochMetrics.Add(new EpochMetric { RunId = run.Id, Stage = Stage.CommonSpace, Epoch = 1, Epochs = 2, At = Created.AddMinutes(4) });
        await db.SaveChangesAsync();
        (datasetId, runId) = (dataset.Id, run.Id);
    }

    [Fact]
    public async Task DatasetRunEpochAndBudgetTimesAreUtcIsoStringsEndingInZ()
    {
        Assert.Equal(Created, UtcTime(await Get($"/api/datasets/{datasetId}"), "createdAt"));
        var run = await Get($"/api/runs/{runId}");
        Assert.Equal(Created, UtcTime(run, "createdAt"));
        Assert.Equal(Created.AddMinutes(2), UtcTime(run, "startedAt"));
        Assert.Equal(Created.AddMinutes(3), UtcTime(run, "finishedAt"));
        Assert.Equal(Created.AddMinutes(4), UtcTime((await Get($"/api/runs/{runId}/epochs"))[0], "at"));
        Assert.Equal(Created, UtcTime((await Get($"/api/datasets/{datasetId}/budgets"))[0], "createdAt"));
    }

    private async Task<JsonElement> Get(string url)
    {
        var response = await app.CreateClient().GetAsync(url, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }

    private static DateTime UtcTime(JsonElement owner, string name)
    {
        string text = owner.GetProperty(name).GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", text);
        return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
