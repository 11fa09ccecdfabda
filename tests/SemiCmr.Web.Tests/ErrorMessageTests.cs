using System.Net;
using System.Net.Http.Json;
using SemiCmr.Ml.Samples;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Tests;

/// <summary>Bad requests get a problem that names the field and what is wrong, never a server path or the echo of a huge value.</summary>
public sealed class ErrorMessageTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AFolderOutsideTheImportRootsNamesTheSettingButNoServerPath()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/datasets/from-folder", new { name = "etc", path = "/etc" }, Cancel);

        var problem = await Problem.Read(response, HttpStatusCode.BadRequest);
        string body = string.Join(" ", problem.Errors["path"]);
        Assert.Contains("outside the allowed import folders", body);
        Assert.Contains("Import:AllowedRoots", body);
        Assert.DoesNotContain(app.ImportRoot, body);
        Assert.DoesNotContain(ResearchData.Root, body);
        Assert.DoesNotContain(app.DataDirectory, body);
    }

    [Fact]
    public async Task APathWithANulCharacterIsRefusedNamingThePath()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/datasets/from-folder", new { name = "nul", path = app.ImportRoot + "/a\0b" }, Cancel);

        var problem = await Problem.Read(response, HttpStatusCode.BadRequest);
        Assert.Contains("control character", problem.Errors["path"][0]);
    }

    [Fact]
    public async Task AHugeFieldValueIsQuotedBackShortened()
    {
        string huge = new('x', 5_000_000);

        var response = await app.CreateClient().PostAsJsonAsync("/api/datasets/from-folder", new { name = "huge", path = app.ImportRoot, textEncoder = huge }, Cancel);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("textEncoder", body);
        Assert.InRange(body.Length, 1, 2_000);
    }

    [Fact]
    public async Task AHugeMethodValueIsQuotedBackShortened()
    {
        int datasetId = await app.ImportFolder(TinyDatasets.Write(app.ImportRoot, "tiny-method"));
        await app.WaitForDataset(datasetId);

        var response = await app.CreateClient().PostAsJsonAsync("/api/runs", new { datasetId, method = new string('m', 5_000_000), labelRatio = 0.1 }, Cancel);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown method", body);
        Assert.InRange(body.Length, 1, 2_000);
    }

    [Fact]
    public async Task AnUploadsFolderThatCannotBeWrittenIsAProblemAndStoresNothing()
    {
        var client = app.CreateClient();
        await client.GetAsync("/api/health", Cancel); // started: the data folder exists
        string uploads = Path.Combine(app.DataDirectory, "uploads");
        if (Directory.Exists(uploads)) Directory.Delete(uploads, recursive: true);
        await File.WriteAllTextAsync(uploads, "a file where the uploads folder should be", Cancel); // unwritable even for root

        using var form = new MultipartFormDataContent
        {
            { new StringContent("blocked"), "name" },
            { new ByteArrayContent(File.ReadAllBytes(TinyDatasets.Zip(TinyDatasets.Write(app.ImportRoot, "tiny"), Path.Combine(app.ImportRoot, "tiny.zip")))), "file", "tiny.zip" },
        };
        var response = await client.PostAsync("/api/datasets", form, Cancel);

        var problem = await Problem.Read(response, HttpStatusCode.InternalServerError);
        Assert.Contains("not writable", problem.Errors["file"][0]);
        Assert.DoesNotContain(app.DataDirectory, problem.Errors["file"][0]);
        Assert.Empty((await client.GetFromJsonAsync<List<DatasetResponse>>("/api/datasets", Json.Options, Cancel))!);
    }

    [Fact]
    public async Task SearchingARunWhoseFilesAreGoneIsAConflictNamingTheRun()
    {
        var spec = FeatureSampleSpec.SingleLabel with { TrainItems = 200, TestItems = 50 };
        int datasetId = await app.ImportFolder(FeatureSamples.Write(Path.Combine(app.ImportRoot, "features"), spec));
        await app.WaitForDataset(datasetId);
        var run = await app.StartRun(new { datasetId, method = "cca", labelRatio = 1, seed = 1 });
        await app.WaitForRun(run.Id, r => r.Status == Data.RunStatus.Succeeded);
        Directory.Delete(Path.Combine(app.DataDirectory, "runs", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), recursive: true);
        if (TestDatabase.IsPostgres)
        {
            // PostgreSQL searches its own copy of the vectors, not the files: that copy is what goes missing there.
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<Data.SemiCmrDb>>().CreateDbContextAsync(Cancel);
            await db.Set<Data.RunVector>().Where(v => v.RunId == run.Id).ExecuteDeleteAsync(Cancel);
        }

        var response = await app.CreateClient().PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = FeatureSamples.Generate(spec).Items[0].Id }, Cancel);

        var problem = await Problem.Read(response, HttpStatusCode.Conflict);
        Assert.Contains("missing or damaged", problem.Errors["id"][0]);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
