using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Tests.Auth;

/// <summary>One app in Accounts mode with an admin, two editors and a viewer; the first editor owns a dataset and a trained run.</summary>
public sealed class AccountsFixture : IAsyncLifetime
{
    public SemiCmrApp App { get; } = SemiCmrApp.InTempFolders("Accounts");
    public Dictionary<string, string> Cookies { get; } = [];
    public Dictionary<string, string> Ids { get; } = [];
    public int DatasetId { get; private set; }
    public int RunId { get; private set; }
    public string Folder { get; private set; } = "";

    public HttpClient As(string user) => Accounts.As(App, Cookies[user]);

    public async ValueTask InitializeAsync()
    {
        foreach (var (name, role) in new[] { ("admin", Roles.Admin), ("ed", Roles.Editor), ("other", Roles.Editor), ("viewer", Roles.Viewer) })
        {
            Ids[name] = await Accounts.CreateUser(App, name, role);
            Cookies[name] = await Accounts.SignIn(App, name);
        }
        Folder = FeatureSamples.Write(Path.Combine(App.ImportRoot, "features"), FeatureSampleSpec.SingleLabel);
        DatasetId = await Import(As("ed"), "features");
        RunId = (await Train(As("ed"), DatasetId)).Id;
    }

    public async Task<int> Import(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/datasets/from-folder", new { name, path = Folder });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        int id = (await response.Content.ReadFromJsonAsync<CreatedResponse>())!.Id;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(100))
            if ((await client.GetFromJsonAsync<DatasetResponse>($"/api/datasets/{id}", Json.Options))!.Status != Data.DatasetStatus.Importing) return id;
        throw new TimeoutException($"Dataset {id} is still importing.");
    }

    public async Task<RunResponse> Train(HttpClient client, int datasetId)
    {
        var response = await client.PostAsJsonAsync("/api/runs",
            new { datasetId, method = "sscmr", labelRatio = 0.1, seed = 1, options = new { stage1Epochs = 1, stage2Epochs = 1 } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<RunResponse>(Json.Options))!;
        for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            run = (await client.GetFromJsonAsync<RunResponse>($"/api/runs/{run.Id}", Json.Options))!;
            if (run.Status is not (Data.RunStatus.Queued or Data.RunStatus.Running)) return run;
        }
        throw new TimeoutException($"Run {run.Id} did not finish.");
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>What each role may do, through the REST API, the hub and the admin pages (issue #12's check).</summary>
public sealed class RoleMatrixTests(AccountsFixture fixture) : IClassFixture<AccountsFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnonymousRequestsToEveryApiRouteAndTheHubAre401ProblemDetails()
    {
        var anonymous = Accounts.Anonymous(fixture.App);
        var routes = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").StartsWith("/api/", StringComparison.Ordinal) && e.RoutePattern.RawText != "/api/health")
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (method, path: System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, @"\{[^}]+\}", "1"))))
            .Append(("POST", "/hubs/runs/negotiate?negotiateVersion=1")).Append(("GET", "/openapi/v1.json"))
            .ToList();
        Assert.True(routes.Count > 25);
        foreach (var (method, path) in routes)
        {
            var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            if (path.StartsWith("/api/", StringComparison.Ordinal))
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/health", Cancel)).StatusCode);

        await using var hub = Hub(cookie: null);
        await Assert.ThrowsAnyAsync<Exception>(() => hub.StartAsync(Cancel));
    }

    [Fact]
    public async Task AViewerSearchesListsAndWatchesButCannotUploadTrainOrDelete()
    {
        var viewer = fixture.As("viewer");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/datasets", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/runs", Cancel)).StatusCode);
        var search = await viewer.PostAsJsonAsync($"/api/runs/{fixture.RunId}/search", new { itemId = "0", k = 3 }, Cancel);
        Assert.True(search.StatusCode != HttpStatusCode.Forbidden && search.StatusCode != HttpStatusCode.Unauthorized, $"search: {search.StatusCode}");

        using var upload = new MultipartFormDataContent { { new StringContent("x"), "name" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/datasets", upload, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/datasets/from-folder", new { name = "x", path = fixture.Folder }, Cancel)).StatusCode);
        var train = await viewer.PostAsJsonAsync("/api/runs", new { datasetId = fixture.DatasetId, method = "sscmr", labelRatio = 0.1 }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, train.StatusCode);
        Assert.Equal("application/problem+json", train.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/runs/{fixture.RunId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/datasets/{fixture.DatasetId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/runs/{fixture.RunId}/cancel", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync($"/api/datasets/{fixture.DatasetId}/items/0/labels", new { labels = Array.Empty<string>() }, Cancel)).StatusCode);

        await using var hub = Hub(fixture.Cookies["viewer"]);
        await hub.StartAsync(Cancel);
        Assert.True(await hub.InvokeAsync<bool>("Watch", fixture.RunId, Cancel));
    }

    [Fact]
    public async Task AnEditorCannotCancelOrDeleteAnotherEditorsRunOrDataset()
    {
        var other = fixture.As("other");
        var deleteRun = await other.DeleteAsync($"/api/runs/{fixture.RunId}", Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, deleteRun.StatusCode);
        Assert.Contains("only its owner or an admin", await deleteRun.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/runs/{fixture.RunId}/cancel", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/datasets/{fixture.DatasetId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/runs/{fixture.RunId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/datasets/{fixture.DatasetId}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task AnOwnerDeletesTheirOwnRunAndDatasetAndAnAdminDeletesAnyones()
    {
        var ed = fixture.As("ed");
        var own = await fixture.Train(ed, fixture.DatasetId);
        Assert.Equal(HttpStatusCode.NoContent, (await ed.DeleteAsync($"/api/runs/{own.Id}", Cancel)).StatusCode);
        var forAdmin = await fixture.Train(ed, fixture.DatasetId);
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.As("admin").DeleteAsync($"/api/runs/{forAdmin.Id}", Cancel)).StatusCode);

        int ownDataset = await fixture.Import(ed, "own");
        Assert.Equal(HttpStatusCode.NoContent, (await ed.DeleteAsync($"/api/datasets/{ownDataset}", Cancel)).StatusCode);
        int adminsToDelete = await fixture.Import(fixture.As("other"), "other's");
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.As("admin").DeleteAsync($"/api/datasets/{adminsToDelete}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task OnlyAdminsManageUsersAndReadTheAuditLogThroughTheApiAndThePages()
    {
        string adminId = fixture.Ids["admin"];
        foreach (var who in new[] { "viewer", "ed" })
        {
            var client = fixture.As(who);
            string ownId = fixture.Ids[who];
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/users", Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/users", new { userName = "sneaky", role = "admin" }, Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/users/{ownId}/role", new { role = "admin" }, Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/users/{adminId}/disable", null, Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/users/{adminId}/enable", null, Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/users/{adminId}/password-link", null, Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/users/{adminId}", Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit", Cancel)).StatusCode);
            // The pages are refused before they render: the browser is sent to the "not allowed" page.
            foreach (var path in new[] { "/admin/users", "/admin/audit" })
            {
                var page = await client.GetAsync(path, Cancel);
                Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
                Assert.StartsWith(AuthExtensions.DeniedPath, page.Headers.Location!.LocalPath(), StringComparison.Ordinal);
            }
        }
        var after = await fixture.As("admin").GetFromJsonAsync<List<UserResponse>>("/api/users", Json.Options, Cancel);
        Assert.DoesNotContain(after!, u => u.UserName == "sneaky");
        Assert.Equal(Roles.Viewer, Assert.Single(after!, u => u.UserName == "viewer").Role);

        var admin = fixture.As("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/audit", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/audit", Cancel)).StatusCode);
    }

    private HubConnection Hub(string? cookie) => new HubConnectionBuilder()
        .WithUrl(new Uri(fixture.App.Server.BaseAddress, "/hubs/runs"), options =>
        {
            options.HttpMessageHandlerFactory = _ => fixture.App.Server.CreateHandler();
            options.Transports = HttpTransportType.LongPolling;
            if (cookie is not null) options.Headers["Cookie"] = cookie;
        })
        .Build();
}
