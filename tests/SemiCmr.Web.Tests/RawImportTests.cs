using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Tests;

/// <summary>Raw uploads on small generated datasets, with tight zip limits (Import:MaxUncompressedBytes = 4 MB, 500 entries; uploads up to 4 MB too).</summary>
public sealed class RawImportTests : IAsyncLifetime
{
    private readonly SemiCmrApp baseApp = SemiCmrApp.InTempFolders();
    private WebApplicationFactory<Program> app = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        app = baseApp.WithWebHostBuilder(builder => builder
            .UseSetting("Import:MaxUncompressedBytes", (4 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Import:MaxUploadBytes", (4 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Import:MaxZipEntries", "500"));
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task RawZipUploadImportsWithLiveProgressAndServesItsImages()
    {
        string folder = Path.Combine(baseApp.ImportRoot, "shapes");
        SceneManifest.Write(folder, count: 40, seed: 1);
        string zip = ZipFolder(folder, "shapes/");

        var events = Channel.CreateUnbounded<ImportProgressEvent>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/runs"), o => { o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler(); o.Transports = HttpTransportType.LongPolling; })
            .Build();
        hub.On<ImportProgressEvent>(RunsHub.ImportProgressMethod, e => events.Writer.TryWrite(e));
        await hub.StartAsync(Cancel);

        int id = await Upload(zip, "shapes", "tfidf", HttpStatusCode.Accepted);
        await hub.InvokeAsync("WatchDataset", id, Cancel);
        var received = new List<ImportProgressEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await foreach (var e in events.Reader.ReadAllAsync(timeout.Token))
        {
            received.Add(e);
            if (e.IsFinal) break;
        }

        Assert.Equal(("ready", 40), (received[^1].Status, received[^1].ItemCount));
        var dataset = await app.CreateClient().GetFromJsonAsync<DatasetResponse>($"/api/datasets/{id}", Json.Options, Cancel);
        Assert.Equal((DatasetStatus.Ready, "manifest", "tfidf", 0), (dataset!.Status, dataset.Format, dataset.TextEncoder, dataset.Skipped.Count));
        Assert.Contains("circle", dataset.Classes);
        var items = await app.CreateClient().GetFromJsonAsync<ItemPage>($"/api/datasets/{id}/items?limit=3", Json.Options, Cancel);
        Assert.StartsWith("a ", items!.Items[0].Text);
        var image = await app.CreateClient().GetAsync(items.Items[0].ImageUrl, Cancel);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MissingAndBrokenImagesAreSkippedAndListedWithTheirReason()
    {
        string folder = Path.Combine(baseApp.ImportRoot, "messy");
        SceneManifest.Write(folder, count: 30, seed: 2);
        File.Delete(Path.Combine(folder, "images", "scene-0003.png"));
        File.WriteAllText(Path.Combine(folder, "images", "scene-0007.png"), "not a png");

        var response = await app.CreateClient().PostAsJsonAsync("/api/datasets/from-folder", new { name = "messy", path = folder, textEncoder = "tfidf" }, Cancel);
        int id = (await response.Content.ReadFromJsonAsync<CreatedResponse>(Cancel))!.Id;
        var dataset = await RawAppFixture.WaitForDataset(app, id, seconds: 180);

        Assert.True(dataset.Status == DatasetStatus.Ready, string.Join("; ", dataset.Problems.Select(p => $"{p.File}: {p.Message}")));
        Assert.Equal(28, dataset.ItemCount);
        Assert.Equal(["scene-0003", "scene-0007"], dataset.Skipped.Select(s => s.Item).Order());
        Assert.All(dataset.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
    }

    [Fact]
    public async Task ZipBombsAndZipsWithoutADatasetAreRefusedBeforeAnythingIsQueued()
    {
        string bomb = Path.Combine(baseApp.ImportRoot, "bomb.zip");
        using (var archive = ZipFile.Open(bomb, ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(archive.CreateEntry("items.csv").Open())) writer.Write("id,image,text\na,a.png,x\n");
            using var zeros = archive.CreateEntry("a.png", CompressionLevel.SmallestSize).Open();
            zeros.Write(new byte[8 * 1024 * 1024]);
        }
        Assert.True(new FileInfo(bomb).Length < 100_000);
        var problem = await UploadProblem(bomb, HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors["file"], message => message.Contains("expands to"));
        Assert.Contains(problem.Errors["file"], message => message.Contains("'a.png'") && message.Contains("zip bomb"));

        string many = Path.Combine(baseApp.ImportRoot, "many.zip");
        using (var archive = ZipFile.Open(many, ZipArchiveMode.Create))
            for (int i = 0; i < 600; i++) archive.CreateEntry($"f{i}.txt");
        Assert.Contains("entries", (await UploadProblem(many, HttpStatusCode.BadRequest)).Errors["file"][0]);

        string empty = Path.Combine(baseApp.ImportRoot, "nothing.zip");
        using (var archive = ZipFile.Open(empty, ZipArchiveMode.Create)) archive.CreateEntry("readme.txt");
        Assert.Contains("no dataset", (await UploadProblem(empty, HttpStatusCode.BadRequest)).Errors["file"][0]);

        var datasets = await app.CreateClient().GetFromJsonAsync<List<DatasetResponse>>("/api/datasets", Json.Options, Cancel);
        Assert.Empty(datasets!);
        Assert.Empty(Directory.GetFiles(Path.Combine(baseApp.DataDirectory, "uploads")));
    }

    private async Task<int> Upload(string zip, string name, string textEncoder, HttpStatusCode expected)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" }, { new StringContent(textEncoder), "textEncoder" },
            { new ByteArrayContent(File.ReadAllBytes(zip)), "file", Path.GetFileName(zip) },
        };
        var response = await app.CreateClient().PostAsync("/api/datasets", form, Cancel);
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedResponse>(Cancel))!.Id;
    }

    private async Task<Problem> UploadProblem(string zip, HttpStatusCode expected)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("bad"), "name" }, { new ByteArrayContent(File.ReadAllBytes(zip)), "file", Path.GetFileName(zip) },
        };
        return await Problem.Read(await app.CreateClient().PostAsync("/api/datasets", form, Cancel), expected);
    }

    private static string ZipFolder(string folder, string prefix)
    {
        string zip = folder + ".zip";
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
            archive.CreateEntryFromFile(file, prefix + Path.GetRelativePath(folder, file).Replace('\\', '/'));
        return zip;
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await baseApp.DisposeAsync();
    }
}
