using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Training;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

[Collection(FeatureCollection.Name)]
public sealed class DatasetTests(FeatureAppFixture fixture)
{
    private SemiCmrApp App => fixture.App;

    [Fact]
    public async Task ImportedFolderIsReadyWithItemsSplitsClassesAndFeatureDims()
    {
        var dataset = await App.WaitForDataset(fixture.DatasetId);

        Assert.Equal(DatasetStatus.Ready, dataset.Status);
        var written = fixture.Features;
        Assert.Equal(written.Items.Count, dataset.ItemCount);
        Assert.Equal(new SplitCounts(written.IndicesOf(Ml.Data.Split.Train).Length, 0, written.IndicesOf(Ml.Data.Split.Test).Length), dataset.Splits);
        Assert.Equal(written.ClassNames, dataset.Classes);
        Assert.Equal((written.ImageFeatures.Columns, written.TextFeatures.Columns), (dataset.ImageDim, dataset.TextDim));
        Assert.True(File.Exists(Path.Combine(App.DataDirectory, "datasets", dataset.Id.ToString(), "image_features.npy")));
    }

    [Fact]
    public async Task UploadedZipIsImportedFromTheFolderInsideIt()
    {
        string folder = TinyDatasets.Write(App.ImportRoot, "tiny-zip");
        using var form = ZipForm(TinyDatasets.Zip(folder, Path.Combine(App.ImportRoot, "tiny.zip")), "tiny");
        var response = await App.CreateClient().PostAsync("/api/datasets", form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<CreatedResponse>(TestContext.Current.CancellationToken))!.Id;
        var dataset = await App.WaitForDataset(id);
        Assert.Equal(DatasetStatus.Ready, dataset.Status);
        Assert.Equal(["cat", "dog"], dataset.Classes);
        Assert.Empty(Directory.GetFiles(Path.Combine(App.DataDirectory, "uploads")));
    }

    [Fact]
    public async Task FailedImportListsEveryProblemAndLeavesNoFiles()
    {
        string folder = TinyDatasets.Write(App.ImportRoot, "short-and-nan", featureRows: 3, nan: true);
        int id = await App.ImportFolder(folder, "broken");

        var dataset = await App.WaitForDataset(id);
        Assert.Equal(DatasetStatus.Failed, dataset.Status);
        Assert.Contains(dataset.Problems, p => p.File == "image_features.npy" && p.Message.Contains("rows"));
        Assert.Contains(dataset.Problems, p => p.File == "image_features.npy" && p.Message.Contains("NaN"));
        Assert.False(Directory.Exists(Path.Combine(App.DataDirectory, "datasets", id.ToString())));
        Assert.False(Directory.Exists(Path.Combine(App.DataDirectory, "datasets", id + ".importing")));
    }

    [Fact]
    public async Task BadRequestsAreProblemsNamingTheFieldAndChangeNothing()
    {
        var client = App.CreateClient();
        var datasetsBefore = await client.GetFromJsonAsync<List<DatasetResponse>>("/api/datasets", Json.Options, TestContext.Current.CancellationToken);
        var runsBefore = await client.GetFromJsonAsync<List<RunResponse>>("/api/runs", Json.Options, TestContext.Current.CancellationToken);

        var unknownDataset = await client.PostAsJsonAsync("/api/runs", new { datasetId = 9999, method = "sscmr", labelRatio = 0.1 }, TestContext.Current.CancellationToken);
        Assert.Contains("datasetId", (await Problem.Read(unknownDataset, HttpStatusCode.NotFound)).Errors.Keys);
        var zeroRatio = await client.PostAsJsonAsync("/api/runs", new { datasetId = fixture.DatasetId, method = "sscmr", labelRatio = 0.0 }, TestContext.Current.CancellationToken);
        Assert.Contains("labelRatio", (await Problem.Read(zeroRatio, HttpStatusCode.BadRequest)).Errors.Keys);
        var badOptions = await client.PostAsJsonAsync("/api/runs", new { datasetId = fixture.DatasetId, method = "nope", labelRatio = 0.1, options = new { stage1Epochs = 0, alpha = -1 } }, TestContext.Current.CancellationToken);
        var optionsProblem = await Problem.Read(badOptions, HttpStatusCode.BadRequest);
        Assert.Equal(["method", "options.alpha", "options.stage1Epochs"], optionsProblem.Errors.Keys.Order());

        var outside = await client.PostAsJsonAsync("/api/datasets/from-folder", new { name = "etc", path = "/etc" }, TestContext.Current.CancellationToken);
        Assert.Contains("allowed import folders", (await Problem.Read(outside, HttpStatusCode.BadRequest)).Errors["path"][0]);
        string elsewhere = TinyDatasets.Write(TestPaths.NewTempFolder(), "elsewhere");
        string link = Path.Combine(App.ImportRoot, "link-to-elsewhere");
        Directory.CreateSymbolicLink(link, elsewhere);
        var throughLink = await client.PostAsJsonAsync("/api/datasets/from-folder", new { name = "linked", path = link }, TestContext.Current.CancellationToken);
        Assert.Contains("allowed import folders", (await Problem.Read(throughLink, HttpStatusCode.BadRequest)).Errors["path"][0]);
        string wrongDtype = TinyDatasets.Write(App.ImportRoot, "wrong-dtype", dtype: "<i4");
        var dtypeFolder = await client.PostAsJsonAsync("/api/datasets/from-folder", new { name = "ints", path = wrongDtype }, TestContext.Current.CancellationToken);
        Assert.Contains("'<i4'", (await Problem.Read(dtypeFolder, HttpStatusCode.BadRequest)).Errors["path"][0]);

        string notAZip = Path.Combine(App.ImportRoot, "not-a.zip");
        await File.WriteAllTextAsync(notAZip, "PK but not really", TestContext.Current.CancellationToken);
        using (var form = ZipForm(notAZip, "junk"))
        {
            var malformed = await client.PostAsync("/api/datasets", form, TestContext.Current.CancellationToken);
            Assert.Contains("file", (await Problem.Read(malformed, HttpStatusCode.BadRequest)).Errors.Keys);
        }
        using (var form = ZipForm(TinyDatasets.Zip(wrongDtype, Path.Combine(App.ImportRoot, "ints.zip")), "ints"))
        {
            var dtypeZip = await client.PostAsync("/api/datasets", form, TestContext.Current.CancellationToken);
            Assert.Contains("'<i4'", (await Problem.Read(dtypeZip, HttpStatusCode.BadRequest)).Errors["file"][0]);
        }
        string good = TinyDatasets.Write(App.ImportRoot, "escaping");
        using (var form = ZipForm(TinyDatasets.Zip(good, Path.Combine(App.ImportRoot, "escaping.zip"), extraEntry: "../../evil.txt"), "evil"))
        {
            var escaping = await client.PostAsync("/api/datasets", form, TestContext.Current.CancellationToken);
            Assert.Contains("..", (await Problem.Read(escaping, HttpStatusCode.BadRequest)).Errors["file"][0]);
        }

        var datasetsAfter = await client.GetFromJsonAsync<List<DatasetResponse>>("/api/datasets", Json.Options, TestContext.Current.CancellationToken);
        var runsAfter = await client.GetFromJsonAsync<List<RunResponse>>("/api/runs", Json.Options, TestContext.Current.CancellationToken);
        Assert.Equal(datasetsBefore!.Select(d => d.Id), datasetsAfter!.Select(d => d.Id));
        Assert.Equal(runsBefore!.Select(r => r.Id), runsAfter!.Select(r => r.Id));
        Assert.Empty(Directory.GetFiles(Path.Combine(App.DataDirectory, "uploads")));
    }

    [Fact]
    public async Task DeletingADatasetWithARunningRunIsRefusedAndChangesNothingNotEvenItsQueuedRuns()
    {
        // An app that never trains: on PostgreSQL the database is the queue, and a worker would claim the queued row.
        await using var app = SemiCmrApp.InTempFolders().WithSetting("Worker:Enabled", "false");
        var client = app.CreateClient();
        int datasetId = await app.ImportFolder(TinyDatasets.Write(app.ImportRoot, "busy"), "busy");
        await app.WaitForDataset(datasetId);
        // Rows as the worker would leave them mid-training (never enqueued, and this app does not train).
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>();
        var running = NewRun(datasetId, RunStatus.Running);
        var queued = NewRun(datasetId, RunStatus.Queued);
        await using (var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            db.Runs.AddRange(running, queued);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var refused = await client.DeleteAsync($"/api/datasets/{datasetId}", TestContext.Current.CancellationToken);
        Assert.Contains("id", (await Problem.Read(refused, HttpStatusCode.Conflict)).Errors.Keys);
        Assert.Equal(DatasetStatus.Ready, (await app.WaitForDataset(datasetId)).Status);
        Assert.True(Directory.Exists(Path.Combine(app.DataDirectory, "datasets", datasetId.ToString())));
        var runs = await client.GetFromJsonAsync<List<RunResponse>>("/api/runs", Json.Options, TestContext.Current.CancellationToken);
        Assert.Equal(RunStatus.Running, runs!.Single(r => r.Id == running.Id).Status);
        Assert.Equal(RunStatus.Queued, runs!.Single(r => r.Id == queued.Id).Status);

        await using (var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken))
            await db.Runs.Where(r => r.Id == running.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Failed), TestContext.Current.CancellationToken);
        var deleted = await client.DeleteAsync($"/api/datasets/{datasetId}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    private static Run NewRun(int datasetId, RunStatus status) => new()
    {
        DatasetId = datasetId, Method = Method.Cca, LabelRatio = 1, Seed = 1, Status = status,
        OptionsJson = RunJson.Serialize(TrainingOptions.Default), CreatedAt = DateTime.UtcNow,
    };

    [Fact]
    public async Task OverlongTextFieldIsRefusedNamingItBeforeTheFileIsRead()
    {
        // The file is over the upload limit: a 400 about the name (not a 413) shows reading stopped at the name.
        using var form = new MultipartFormDataContent
        {
            { new StringContent(new string('n', 100_000)), "name" },
            { new ByteArrayContent(new byte[21 * 1024 * 1024]), "file", "huge.zip" },
        };
        // Chunked, so the declared length cannot refuse it up front.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/datasets") { Content = form };
        request.Headers.TransferEncodingChunked = true;
        var response = await App.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(["name"], (await Problem.Read(response, HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Empty(Directory.GetFiles(Path.Combine(App.DataDirectory, "uploads")));
    }

    [Fact]
    public async Task UploadLargerThanTheLimitIsRefusedWith413()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("huge"), "name" },
            { new ByteArrayContent(new byte[21 * 1024 * 1024]), "file", "huge.zip" },
        };
        var response = await App.CreateClient().PostAsync("/api/datasets", form, TestContext.Current.CancellationToken);
        Assert.Contains("file", (await Problem.Read(response, HttpStatusCode.RequestEntityTooLarge)).Errors.Keys);
    }

    private static MultipartFormDataContent ZipForm(string zipPath, string name) => new()
    {
        { new StringContent(name), "name" },
        { new ByteArrayContent(File.ReadAllBytes(zipPath)), "file", Path.GetFileName(zipPath) },
    };
}
