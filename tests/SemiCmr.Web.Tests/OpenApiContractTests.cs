using System.Net.Http.Json;
using System.Text.Json;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Tests;

/// <summary>
/// The OpenAPI document tells the truth: real requests to every API operation, good and bad, answer only status codes
/// the document declares for that operation, and a success's JSON has exactly the top-level properties of its
/// declared schema. The document is inferred from the endpoints' return types, so this catches a refusal a service
/// answers that its endpoint's type does not name.
/// </summary>
public sealed class OpenApiContractTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private readonly List<string> broken = [];
    private readonly HashSet<string> exercised = [];
    private HttpClient client = null!;
    private JsonElement document;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        client = app.CreateClient();
        document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Cancel)).RootElement;
    }

    [Fact]
    public async Task EveryOperationAnswersOnlyWhatTheDocumentDeclares()
    {
        var spec = FeatureSampleSpec.SingleLabel with { Classes = 4, TrainItems = 120, TestItems = 40 };
        var features = FeatureSamples.Generate(spec);
        int datasetId = await app.ImportFolder(FeatureSamples.Write(Path.Combine(app.ImportRoot, "features"), spec));
        var dataset = await app.WaitForDataset(datasetId);
        Assert.Equal(Data.DatasetStatus.Ready, dataset.Status);
        var run = await app.StartRun(new { datasetId, method = "sscmr", labelRatio = 0.5, seed = 1, options = new { stage1Epochs = 1, stage2Epochs = 1 } });
        await app.WaitForRun(run.Id, r => r.Status == Data.RunStatus.Succeeded);
        string item = features.Items[0].Id;

        await Health();
        await Datasets(datasetId, dataset.Classes[0]);
        int budgetId = await Budgets(datasetId, dataset.Classes[0]);
        await Runs(datasetId, run.Id, budgetId);
        await Search(run.Id, item);
        await Tokens();
        await Users();
        await Audit();

        var undocumented = Operations().Where(o => !exercised.Contains(o)).ToList();
        Assert.True(undocumented.Count == 0, "Operations no request exercised: " + string.Join(", ", undocumented));
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    /// <summary>Single-user mode (this app's) has no accounts: the list is empty, creating is refused, revoking finds nothing (ApiTokenTests covers Accounts mode).</summary>
    private async Task Tokens()
    {
        await Check("GET", "/api/tokens", client.GetAsync("/api/tokens", Cancel));
        await Check("POST", "/api/tokens", client.PostAsJsonAsync("/api/tokens", new { name = "x", days = 0 }, Cancel));
        await Check("POST", "/api/tokens", client.PostAsJsonAsync("/api/tokens", new { name = "x", days = 5 }, Cancel));
        await Check("DELETE", "/api/tokens/{id}", client.DeleteAsync("/api/tokens/999", Cancel));
    }

    /// <summary>The local admin manages accounts (UserAdminTests covers Accounts mode); the only admin account cannot be demoted, disabled or deleted.</summary>
    private async Task Users()
    {
        await Check("GET", "/api/users", client.GetAsync("/api/users", Cancel));
        await Check("POST", "/api/users", client.PostAsJsonAsync("/api/users", new { userName = "ann", role = "owner" }, Cancel));
        var created = await Check("POST", "/api/users", client.PostAsJsonAsync("/api/users", new { userName = "ann", role = "admin" }, Cancel));
        await Check("POST", "/api/users", client.PostAsJsonAsync("/api/users", new { userName = "ann", role = "viewer" }, Cancel));
        string ann = created.GetProperty("user").GetProperty("id").GetString()!;
        await Check("GET", "/api/users", client.GetAsync("/api/users", Cancel));

        await Check("PUT", "/api/users/{id}/role", client.PutAsJsonAsync($"/api/users/{ann}/role", new { role = "viewer" }, Cancel));
        await Check("PUT", "/api/users/{id}/role", client.PutAsJsonAsync($"/api/users/{ann}/role", new { role = "owner" }, Cancel));
        await Check("PUT", "/api/users/{id}/role", client.PutAsJsonAsync("/api/users/nobody/role", new { role = "viewer" }, Cancel));
        await Check("POST", "/api/users/{id}/disable", client.PostAsync($"/api/users/{ann}/disable", null, Cancel));
        await Check("POST", "/api/users/{id}/disable", client.PostAsync("/api/users/nobody/disable", null, Cancel));
        await Check("POST", "/api/users/{id}/enable", client.PostAsync($"/api/users/{ann}/enable", null, Cancel));
        await Check("POST", "/api/users/{id}/enable", client.PostAsync("/api/users/nobody/enable", null, Cancel));
        await Check("POST", "/api/users/{id}/password-link", client.PostAsync($"/api/users/{ann}/password-link", null, Cancel));
        await Check("POST", "/api/users/{id}/password-link", client.PostAsync("/api/users/nobody/password-link", null, Cancel));
        await Check("DELETE", "/api/users/{id}", client.DeleteAsync($"/api/users/{ann}", Cancel));
        await Check("DELETE", "/api/users/{id}", client.DeleteAsync("/api/users/nobody", Cancel));

        var boss = await Check("POST", "/api/users", client.PostAsJsonAsync("/api/users", new { userName = "boss", role = "admin" }, Cancel));
        string bossId = boss.GetProperty("user").GetProperty("id").GetString()!;
        await Check("PUT", "/api/users/{id}/role", client.PutAsJsonAsync($"/api/users/{bossId}/role", new { role = "viewer" }, Cancel));
        await Check("POST", "/api/users/{id}/disable", client.PostAsync($"/api/users/{bossId}/disable", null, Cancel));
        await Check("DELETE", "/api/users/{id}", client.DeleteAsync($"/api/users/{bossId}", Cancel));
    }

    private async Task Audit()
    {
        await Check("GET", "/api/audit", client.GetAsync("/api/audit?limit=5", Cancel));
        await Check("GET", "/api/audit", client.GetAsync("/api/audit?kind=run&user=local", Cancel));
        await Check("GET", "/api/audit", client.GetAsync("/api/audit?kind=bogus", Cancel));
    }

    private async Task Health() => await Check("GET", "/api/health", client.GetAsync("/api/health", Cancel));

    private async Task Datasets(int id, string label)
    {
        await Check("GET", "/api/datasets", client.GetAsync("/api/datasets", Cancel));
        await Check("GET", "/api/datasets", client.GetAsync("/api/datasets?status=ready", Cancel));
        await Check("GET", "/api/datasets", client.GetAsync("/api/datasets?status=bogus", Cancel));
        await Check("GET", "/api/datasets/{id}", client.GetAsync($"/api/datasets/{id}", Cancel));
        await Check("GET", "/api/datasets/{id}", client.GetAsync("/api/datasets/999", Cancel));
        await Check("GET", "/api/datasets/{id}/items", client.GetAsync($"/api/datasets/{id}/items?label={label}&limit=3", Cancel));
        await Check("GET", "/api/datasets/{id}/items", client.GetAsync($"/api/datasets/{id}/items?limit=0", Cancel));
        await Check("GET", "/api/datasets/{id}/items", client.GetAsync("/api/datasets/999/items", Cancel));
        await Check("GET", "/api/datasets/{id}/items/{row}", client.GetAsync($"/api/datasets/{id}/items/0", Cancel));
        await Check("GET", "/api/datasets/{id}/items/{row}", client.GetAsync($"/api/datasets/{id}/items/99999", Cancel));
        // A feature dataset has no image files: these can only be refused here (RawImportTests serves them).
        await Check("GET", "/api/datasets/{id}/items/{row}/image", client.GetAsync($"/api/datasets/{id}/items/0/image", Cancel));
        await Check("GET", "/api/datasets/{id}/items/{row}/thumbnail", client.GetAsync($"/api/datasets/{id}/items/0/thumbnail", Cancel));

        await Check("POST", "/api/datasets/from-folder", client.PostAsJsonAsync("/api/datasets/from-folder", new { name = "x", path = "/etc" }, Cancel));
        string tiny = TinyDatasets.Write(app.ImportRoot, "tiny");
        var imported = await Check("POST", "/api/datasets/from-folder", client.PostAsJsonAsync("/api/datasets/from-folder", new { name = "tiny", path = tiny }, Cancel));
        int tinyId = imported.GetProperty("id").GetInt32();
        await app.WaitForDataset(tinyId);
        await Check("DELETE", "/api/datasets/{id}", client.DeleteAsync($"/api/datasets/{tinyId}", Cancel));
        await Check("DELETE", "/api/datasets/{id}", client.DeleteAsync($"/api/datasets/{tinyId}", Cancel));

        await Check("POST", "/api/datasets", client.PostAsync("/api/datasets", new StringContent("not a form"), Cancel));
        using var zipped = Form("zipped", File.ReadAllBytes(TinyDatasets.Zip(tiny, Path.Combine(app.ImportRoot, "tiny.zip"))), "tiny.zip");
        var uploaded = await Check("POST", "/api/datasets", client.PostAsync("/api/datasets", zipped, Cancel));
        await app.WaitForDataset(uploaded.GetProperty("id").GetInt32());
        using var huge = Form("huge", new byte[21 * 1024 * 1024], "huge.zip");
        await Check("POST", "/api/datasets", client.PostAsync("/api/datasets", huge, Cancel));
    }

    private async Task<int> Budgets(int datasetId, string label)
    {
        await Check("GET", "/api/datasets/{id}/budgets/preview", client.GetAsync($"/api/datasets/{datasetId}/budgets/preview?ratio=0.2&seed=1", Cancel));
        await Check("GET", "/api/datasets/{id}/budgets/preview", client.GetAsync($"/api/datasets/{datasetId}/budgets/preview?ratio=2", Cancel));
        await Check("POST", "/api/datasets/{id}/budgets", client.PostAsJsonAsync($"/api/datasets/{datasetId}/budgets", new { ratio = 0 }, Cancel));
        var created = await Check("POST", "/api/datasets/{id}/budgets", client.PostAsJsonAsync($"/api/datasets/{datasetId}/budgets", new { ratio = 0.2, seed = 1 }, Cancel));
        int budgetId = created.GetProperty("id").GetInt32();
        await Check("GET", "/api/datasets/{id}/budgets", client.GetAsync($"/api/datasets/{datasetId}/budgets", Cancel));
        await Check("GET", "/api/datasets/{id}/budgets", client.GetAsync("/api/datasets/999/budgets", Cancel));
        await Check("GET", "/api/budgets/{id}", client.GetAsync($"/api/budgets/{budgetId}", Cancel));
        await Check("GET", "/api/budgets/{id}", client.GetAsync("/api/budgets/999", Cancel));

        var train = await client.GetFromJsonAsync<ItemPage>($"/api/datasets/{datasetId}/items?split=train&labeled=true&limit=1", Json.Options, Cancel);
        int row = train!.Items[0].Row;
        await Check("PUT", "/api/budgets/{id}/items/{row}", client.PutAsJsonAsync($"/api/budgets/{budgetId}/items/{row}", new { labeled = true }, Cancel));
        await Check("PUT", "/api/budgets/{id}/items/{row}", client.PutAsJsonAsync($"/api/budgets/{budgetId}/items/{row}", new { }, Cancel));
        await Check("PUT", "/api/budgets/{id}/items/{row}", client.PutAsJsonAsync($"/api/budgets/{budgetId}/items/99999", new { labeled = true }, Cancel));
        await Check("PUT", "/api/datasets/{id}/items/{row}/labels", client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/{row}/labels", new { labels = new[] { label } }, Cancel));
        await Check("PUT", "/api/datasets/{id}/items/{row}/labels", client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/{row}/labels", new { labels = new[] { "no such label" } }, Cancel));
        await Check("PUT", "/api/datasets/{id}/items/{row}/labels", client.PutAsJsonAsync($"/api/datasets/{datasetId}/items/99999/labels", new { labels = Array.Empty<string>() }, Cancel));
        return budgetId;
    }

    private async Task Runs(int datasetId, int runId, int budgetId)
    {
        await Check("GET", "/api/datasets/{id}/budgets/{budgetId}/suggestions", client.GetAsync($"/api/datasets/{datasetId}/budgets/{budgetId}/suggestions?count=3", Cancel));
        await Check("GET", "/api/datasets/{id}/budgets/{budgetId}/suggestions", client.GetAsync($"/api/datasets/{datasetId}/budgets/{budgetId}/suggestions?count=0", Cancel));
        await Check("GET", "/api/datasets/{id}/budgets/{budgetId}/suggestions", client.GetAsync($"/api/datasets/{datasetId}/budgets/{budgetId}/suggestions?runId=999", Cancel));

        await Check("GET", "/api/runs", client.GetAsync("/api/runs", Cancel));
        await Check("GET", "/api/runs", client.GetAsync("/api/runs?status=succeeded&sortBy=meanMap", Cancel));
        await Check("GET", "/api/runs", client.GetAsync("/api/runs?sortBy=bogus", Cancel));
        await Check("GET", "/api/runs/export.csv", client.GetAsync("/api/runs/export.csv", Cancel));
        await Check("GET", "/api/runs/export.csv", client.GetAsync("/api/runs/export.csv?status=bogus", Cancel));
        await Check("GET", "/api/runs/{id}", client.GetAsync($"/api/runs/{runId}", Cancel));
        await Check("GET", "/api/runs/{id}", client.GetAsync("/api/runs/999", Cancel));
        await Check("GET", "/api/runs/{id}/epochs", client.GetAsync($"/api/runs/{runId}/epochs", Cancel));
        await Check("GET", "/api/runs/{id}/epochs", client.GetAsync("/api/runs/999/epochs", Cancel));
        await Check("GET", "/api/runs/{id}/report", client.GetAsync($"/api/runs/{runId}/report", Cancel));
        await Check("GET", "/api/runs/{id}/report", client.GetAsync("/api/runs/999/report", Cancel));
        await Check("POST", "/api/runs/{id}/cancel", client.PostAsync($"/api/runs/{runId}/cancel", null, Cancel));
        await Check("POST", "/api/runs/{id}/cancel", client.PostAsync("/api/runs/999/cancel", null, Cancel));

        await Check("POST", "/api/runs", client.PostAsJsonAsync("/api/runs", new { datasetId, method = "bogus", labelRatio = 0.5 }, Cancel));
        await Check("POST", "/api/runs", client.PostAsJsonAsync("/api/runs", new { datasetId = 999, method = "cca", labelRatio = 0.5 }, Cancel));
        var queued = await Check("POST", "/api/runs", client.PostAsJsonAsync("/api/runs", new { datasetId, budgetId, method = "cca", seed = 2 }, Cancel));
        int second = queued.GetProperty("id").GetInt32();
        await Check("POST", "/api/runs/{id}/cancel", client.PostAsync($"/api/runs/{second}/cancel", null, Cancel));
        await app.WaitForRun(second, r => r.Status is not (Data.RunStatus.Queued or Data.RunStatus.Running));
        await Check("GET", "/api/runs/{id}/report", client.GetAsync($"/api/runs/{second}/report", Cancel));
        await Check("GET", "/api/runs/{id}/search/index", client.GetAsync($"/api/runs/{second}/search/index", Cancel));
        await Check("DELETE", "/api/runs/{id}", client.DeleteAsync($"/api/runs/{second}", Cancel));
        await Check("DELETE", "/api/runs/{id}", client.DeleteAsync($"/api/runs/{second}", Cancel));
    }

    private async Task Search(int runId, string item)
    {
        await Check("POST", "/api/runs/{id}/search", client.PostAsJsonAsync($"/api/runs/{runId}/search", new { itemId = item, k = 3 }, Cancel));
        await Check("POST", "/api/runs/{id}/search", client.PostAsJsonAsync($"/api/runs/{runId}/search", new { itemId = item, k = 0 }, Cancel));
        await Check("POST", "/api/runs/{id}/search", client.PostAsJsonAsync($"/api/runs/{runId}/search", new { itemId = "no such item" }, Cancel));
        await Check("POST", "/api/runs/{id}/search", client.PostAsJsonAsync("/api/runs/999/search", new { itemId = item }, Cancel));
        await Check("POST", "/api/runs/{id}/search/image", client.PostAsync($"/api/runs/{runId}/search/image", new StringContent("not a form"), Cancel));
        await Check("POST", "/api/runs/{id}/search/image", client.PostAsync("/api/runs/999/search/image", ImageForm(16), Cancel));
        await Check("POST", "/api/runs/{id}/search/image", client.PostAsync($"/api/runs/{runId}/search/image", ImageForm(11 * 1024 * 1024), Cancel));
        await Check("GET", "/api/runs/{id}/search/index", client.GetAsync($"/api/runs/{runId}/search/index", Cancel));
        await Check("GET", "/api/runs/{id}/search/index", client.GetAsync("/api/runs/999/search/index", Cancel));
    }

    private static MultipartFormDataContent Form(string name, byte[] file, string fileName) => new()
    {
        { new StringContent(name), "name" },
        { new ByteArrayContent(file), "file", fileName },
    };

    private static MultipartFormDataContent ImageForm(int bytes) => new() { { new ByteArrayContent(new byte[bytes]), "file", "query.png" } };

    /// <summary>Notes what is wrong with the answer against the document (all are reported at the end) and returns its JSON.</summary>
    private async Task<JsonElement> Check(string method, string path, Task<HttpResponseMessage> request)
    {
        using var response = await request;
        string operation = $"{method} {path}";
        exercised.Add(operation);
        int status = (int)response.StatusCode;
        string body = await response.Content.ReadAsStringAsync(Cancel);
        var answered = body.Length > 0 && response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(body).RootElement.Clone() : default;
        if (Operation(method, path) is not { } declared)
        {
            broken.Add($"{operation} is not in the document.");
            return answered;
        }
        if (!declared.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var declaredResponse))
        {
            var statuses = string.Join(", ", declared.GetProperty("responses").EnumerateObject().Select(r => r.Name));
            broken.Add($"{operation} answered {status}, which the document does not declare (it declares {statuses}): {body[..Math.Min(200, body.Length)]}");
            return answered;
        }
        if (status < 300 && answered.ValueKind != JsonValueKind.Undefined)
            CompareProperties(operation, status, declaredResponse, answered);
        return answered;
    }

    /// <summary>The declared JSON schema's top-level properties against the answer's (for an array: its first element's).</summary>
    private void CompareProperties(string operation, int status, JsonElement response, JsonElement answered)
    {
        if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json))
        {
            broken.Add($"{operation} answered JSON with {status}, for which the document declares no JSON body.");
            return;
        }
        var schema = Resolve(json.GetProperty("schema"));
        if (answered.ValueKind == JsonValueKind.Array)
        {
            if (answered.GetArrayLength() == 0) return;
            schema = Resolve(schema.GetProperty("items"));
            answered = answered[0];
        }
        var declared = schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).Order().ToList() : [];
        var actual = answered.EnumerateObject().Select(p => p.Name).Order().ToList();
        if (!declared.SequenceEqual(actual))
            broken.Add($"{operation} {status}: the document declares properties [{string.Join(", ", declared)}], the answer has [{string.Join(", ", actual)}].");
    }

    /// <summary>Follows a $ref (or the one non-null branch of a nullable anyOf/oneOf) to the schema it names.</summary>
    private JsonElement Resolve(JsonElement schema)
    {
        foreach (var union in new[] { "anyOf", "oneOf", "allOf" })
            if (schema.TryGetProperty(union, out var branches))
                return Resolve(branches.EnumerateArray().First(b => !(b.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")));
        if (!schema.TryGetProperty("$ref", out var reference)) return schema;
        string name = reference.GetString()!.Split('/')[^1];
        return Resolve(document.GetProperty("components").GetProperty("schemas").GetProperty(name));
    }

    private JsonElement? Operation(string method, string path)
    {
        foreach (var entry in document.GetProperty("paths").EnumerateObject())
            if (entry.Name.TrimEnd('/') == path && entry.Value.TryGetProperty(method.ToLowerInvariant(), out var operation)) return operation;
        return null;
    }

    /// <summary>Every operation of the REST API in the document, as "METHOD /path".</summary>
    private IEnumerable<string> Operations() =>
        from path in document.GetProperty("paths").EnumerateObject()
        where path.Name.StartsWith("/api/", StringComparison.Ordinal)
        from operation in path.Value.EnumerateObject()
        where operation.Name is "get" or "post" or "put" or "delete" or "patch"
        select $"{operation.Name.ToUpperInvariant()} {path.Name.TrimEnd('/')}";

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
