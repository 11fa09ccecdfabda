using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests;

/// <summary>
/// The real app on a real database (<see cref="TestDatabase"/>: a SQLite file in the data folder, or a PostgreSQL
/// database of its own): the repo root is the content root (as in development), the data folder is a temp folder, and
/// imports may read the research data folder (<see cref="ResearchData"/>) and <see cref="ImportRoot"/> (a temp folder
/// for bad inputs). Apps on the same data folder (a restart) share the database, as they share the SQLite file.
/// </summary>
public sealed class SemiCmrApp(string dataDirectory, string importRoot) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The PostgreSQL database of each data folder: a restarted app finds its rows.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> PostgresDatabases = new();
    public string ImportRoot { get; } = importRoot;

    /// <summary>
    /// Auth:Mode: None (single-user, every request the local admin) unless a test of accounts sets Accounts. The
    /// in-memory TestServer listens on no address, which counts as loopback (<see cref="Auth.ListenAddresses"/>); so does
    /// <see cref="ServeOnFreePort"/> (127.0.0.1).
    /// </summary>
    public string AuthMode { get; init; } = "None";

    /// <summary>
    /// An API token every client from <see cref="WebApplicationFactory{T}.CreateClient()"/> sends as Bearer, so the helpers
    /// below (import, train, wait) work on an app in Accounts mode too.
    /// </summary>
    public string? BearerToken { get; set; }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (BearerToken is { } token) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Settings over appsettings.json and the ones above (key, value); set before the first request.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Sets <paramref name="key"/> (see <see cref="Settings"/>) and returns the app, for field initialisers.</summary>
    public SemiCmrApp WithSetting(string key, string value)
    {
        Settings[key] = value;
        return this;
    }

    /// <summary>Replaces services after the app's own (seams such as IFolderMover); set before the first request.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    public static SemiCmrApp InTempFolders(string authMode = "None")
    {
        string root = TestPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(root, "imports"));
        return new SemiCmrApp(Path.Combine(root, "data"), Path.Combine(root, "imports")) { AuthMode = authMode };
    }

    /// <summary>
    /// Serves on a free loopback port instead of in memory, for clients that dial an address (the CLI); call before the
    /// first request. <see cref="WebApplicationFactory{T}.CreateClient()"/> then talks to that port.
    /// </summary>
    public Uri ServeOnFreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        UseKestrel(port);
        StartServer();
        return new Uri($"http://127.0.0.1:{port}");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(TestPaths.RepoRoot);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Data:Directory", DataDirectory);
        builder.UseSetting("Import:AllowedRoots:0", ResearchData.Root);
        builder.UseSetting("Import:AllowedRoots:1", ImportRoot);
        builder.UseSetting("Import:MaxUploadBytes", (20 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Training:Device", "cpu");
        builder.UseSetting("Training:Threads", "1");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Auth:Mode", AuthMode);
        builder.UseSetting("Database:Provider", TestDatabase.Provider);
        if (TestDatabase.IsPostgres) builder.UseSetting("ConnectionStrings:SemiCmr", PostgresDatabases.GetOrAdd(DataDirectory, _ => TestDatabase.CreatePostgresDatabase()));
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (TestServices is { } configure) builder.ConfigureTestServices(configure);
    }

    public HubConnection CreateHubConnection() => new HubConnectionBuilder()
        .WithUrl(new Uri(Server.BaseAddress, "/hubs/runs"), options =>
        {
            options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
            options.Transports = HttpTransportType.LongPolling;
        })
        .Build();

    public async Task<int> ImportFolder(string path, string name = "dataset")
    {
        var response = await CreateClient().PostAsJsonAsync("/api/datasets/from-folder", new { name, path });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<CreatedResponse>();
        return created!.Id;
    }

    public async Task<DatasetResponse> WaitForDataset(int id)
    {
        var client = CreateClient();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            var dataset = await client.GetFromJsonAsync<DatasetResponse>($"/api/datasets/{id}", Json.Options);
            if (dataset!.Status != Data.DatasetStatus.Importing) return dataset;
        }
        throw new TimeoutException($"Dataset {id} is still importing.");
    }

    /// <summary>
    /// Writes the generated single-label feature dataset into the import folder, imports it and trains a 1 + 1 epoch
    /// sscmr run on it; returns once the run has finished (whatever its status).
    /// </summary>
    public async Task<(int DatasetId, Ml.Data.FeatureDataset Features, RunResponse Run)> ImportAndTrainShortRun()
    {
        string folder = Ml.Samples.FeatureSamples.Write(Path.Combine(ImportRoot, "features"), Ml.Samples.FeatureSampleSpec.SingleLabel);
        int datasetId = await ImportFolder(folder, "features");
        await WaitForDataset(datasetId);
        var run = await StartRun(new { datasetId, method = "sscmr", labelRatio = 0.1, seed = 1, options = new { stage1Epochs = 1, stage2Epochs = 1 } });
        run = await WaitForRun(run.Id, r => r.Status is not (Data.RunStatus.Queued or Data.RunStatus.Running));
        return (datasetId, Ml.Data.FeatureDatasetReader.Read(folder), run);
    }

    public async Task<RunResponse> StartRun(object request)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/runs", request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RunResponse>(Json.Options))!;
    }

    public async Task<RunResponse> WaitForRun(int id, Func<RunResponse, bool> done, int seconds = 120)
    {
        var client = CreateClient();
        for (var deadline = DateTime.UtcNow.AddSeconds(seconds); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            var run = await client.GetFromJsonAsync<RunResponse>($"/api/runs/{id}", Json.Options);
            if (done(run!)) return run!;
        }
        throw new TimeoutException($"Run {id} did not reach the expected state.");
    }
}
