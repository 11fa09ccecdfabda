using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SemiCmr.Cli.Common;

namespace SemiCmr.Cli.Common;

/// <summary>The REST calls `semicmr search` and the load measurement make to a running app (see README, "REST API").</summary>
public sealed class SemiCmrServer(HttpClient http) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Run(int Id, int DatasetId, string Status);

    public sealed record Query(string? Text, string? ItemId);

    /// <summary>The rest of a search: target (image | text, empty for the query's default), page and label filter.</summary>
    public sealed record SearchRequest(string? Target, int K, int Offset, IReadOnlyList<string> Labels);

    public sealed record DatasetInfo(int Id, string Status, int ItemCount, List<string> Classes);

    /// <summary>The environment variable a token is read from when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "SEMICMR_TOKEN";

    /// <summary>
    /// A client of <paramref name="server"/>; with a token (given, else <see cref="TokenVariable"/>), every request
    /// carries it as <c>Authorization: Bearer</c>. A server in single-user mode needs none and ignores it.
    /// </summary>
    public static SemiCmrServer Connect(string server, string? token = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(server), Timeout = TimeSpan.FromSeconds(100) };
        if (TokenOrEnvironment(token) is { } bearer) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return new SemiCmrServer(http);
    }

    /// <summary>The token given on the command line, else the one in <see cref="TokenVariable"/>, else none.</summary>
    public static string? TokenOrEnvironment(string? given, Func<string, string?>? environment = null)
    {
        string? token = string.IsNullOrWhiteSpace(given) ? (environment ?? Environment.GetEnvironmentVariable)(TokenVariable) : given;
        return string.IsNullOrWhiteSpace(token) ? null : token.Trim();
    }

    /// <summary>The given run, or the latest succeeded one; a clear error when there is none.</summary>
    public async Task<Run> FindRun(int? id, CancellationToken cancellationToken)
    {
        Run? run;
        if (id is { } wanted)
        {
            using var response = await Reach(() => http.GetAsync($"/api/runs/{wanted}", cancellationToken));
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound) throw new UserInputException($"The server has no run {wanted}.");
            run = await Read<Run>(await Checked(response), cancellationToken);
        }
        else
        {
            var succeeded = await Get<List<Run>>("/api/runs?status=succeeded", cancellationToken);
            run = succeeded.MaxBy(r => r.Id) ?? throw new UserInputException("The server has no succeeded run to search; train one first.");
        }
        if (run.Status != "succeeded") throw new UserInputException($"Run {run.Id} is {run.Status}: only a succeeded run can be searched.");
        return run;
    }

    /// <summary>Queries drawn from the run's dataset: the first items' texts, or their ids (when asked, or when texts cannot be encoded).</summary>
    public async Task<IReadOnlyList<Query>> Queries(Run run, int count, bool byText, CancellationToken cancellationToken)
    {
        var page = await Get<JsonObject>($"/api/datasets/{run.DatasetId}/items?limit={count}", cancellationToken);
        var items = page["items"]!.AsArray().Select(i => (Id: (string)i!["externalId"]!, Text: (string?)i["text"])).ToList();
        if (items.Count == 0) throw new UserInputException($"Run {run.Id}'s dataset has no items.");
        var texts = items.Select(i => i.Text).OfType<string>().Where(t => t.Trim().Length > 0).Select(t => new Query(t[..Math.Min(t.Length, 200)], null)).ToList();
        if (byText && texts.Count > 0 && (await Search(run.Id, texts[0], cancellationToken)).IsSuccessStatusCode) return texts;
        return items.Select(i => new Query(null, i.Id)).ToList();
    }

    /// <summary>The given dataset, or the ready one with the most items; a clear error when there is none.</summary>
    public async Task<DatasetInfo> FindDataset(int? id, CancellationToken cancellationToken)
    {
        var datasets = await Get<List<DatasetInfo>>("/api/datasets", cancellationToken);
        var dataset = id is { } wanted ? datasets.FirstOrDefault(d => d.Id == wanted) : datasets.Where(d => d.Status == "ready").MaxBy(d => d.ItemCount);
        if (dataset is null) throw new UserInputException(id is null ? "The server has no ready dataset." : $"The server has no dataset {id}.");
        if (dataset.Status != "ready") throw new UserInputException($"Dataset {dataset.Id} is {dataset.Status}: only a ready dataset can be listed.");
        return dataset;
    }

    /// <summary>A page of GET /api/datasets/{id}/items with the given query string.</summary>
    public Task<JsonObject> Items(int datasetId, string query, CancellationToken cancellationToken) =>
        Get<JsonObject>($"/api/datasets/{datasetId}/items?{query}", cancellationToken);

    public Task<HttpResponseMessage> Search(int runId, Query query, CancellationToken cancellationToken, IReadOnlyList<string>? labels = null) =>
        http.PostAsJsonAsync($"/api/runs/{runId}/search",
            new { text = query.Text, itemId = query.ItemId, k = 10, labels = labels is { Count: > 0 } ? labels : null }, Json, cancellationToken);

    /// <summary>One search by text or item id; the server's answer ({ hits, total }) or its problem as a clear error.</summary>
    public async Task<JsonObject> Search(int runId, string? text, string? itemId, SearchRequest request, CancellationToken cancellationToken)
    {
        var body = new { text, itemId, target = request.Target, k = request.K, offset = request.Offset, labels = request.Labels.Count == 0 ? null : request.Labels };
        using var response = await Send(() => http.PostAsJsonAsync($"/api/runs/{runId}/search", body, Json, cancellationToken));
        return await Read<JsonObject>(response, cancellationToken);
    }

    /// <summary>One search by an image file (multipart, as the search page uploads it).</summary>
    public async Task<JsonObject> SearchImage(int runId, byte[] image, string fileName, SearchRequest request, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(image), "file", fileName },
            { new StringContent(request.K.ToString(System.Globalization.CultureInfo.InvariantCulture)), "k" },
            { new StringContent(request.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)), "offset" },
        };
        if (request.Target is { } target) form.Add(new StringContent(target), "target");
        if (request.Labels.Count > 0) form.Add(new StringContent(string.Join(',', request.Labels)), "labels");
        using var response = await Send(() => http.PostAsync($"/api/runs/{runId}/search/image", form, cancellationToken));
        return await Read<JsonObject>(response, cancellationToken);
    }

    public async Task<int> ImportFolder(string name, string path, string textEncoder, CancellationToken cancellationToken)
    {
        using var response = await Send(() => http.PostAsJsonAsync("/api/datasets/from-folder", new { name, path, textEncoder }, Json, cancellationToken));
        return (int)(await Read<JsonObject>(response, cancellationToken))["id"]!;
    }

    /// <summary>The dataset's status (importing, ready, failed) and, when it failed, why.</summary>
    public async Task<(string Status, int Items, string? Error)> Dataset(int id, CancellationToken cancellationToken)
    {
        var dataset = await Get<JsonObject>($"/api/datasets/{id}", cancellationToken);
        return ((string)dataset["status"]!, (int)dataset["itemCount"]!, (string?)dataset["error"]);
    }

    public async Task DeleteDataset(int id, CancellationToken cancellationToken)
    {
        using var response = await Send(() => http.DeleteAsync($"/api/datasets/{id}", cancellationToken));
    }

    private async Task<T> Get<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await Send(() => http.GetAsync(path, cancellationToken));
        return await Read<T>(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> request) => await Checked(await Reach(request));

    /// <summary>The server's response, whatever its status; a clear error when the server cannot be reached.</summary>
    private async Task<HttpResponseMessage> Reach(Func<Task<HttpResponseMessage>> request)
    {
        try { return await request(); }
        catch (HttpRequestException e) { throw new UserInputException($"The server at {http.BaseAddress} cannot be reached: {e.Message}"); }
    }


    /// <summary>
    /// The response when it succeeded; otherwise a clear error with the server's problem details (a 401 says the server
    /// wants a token and where to make one).
    /// </summary>
    private async Task<HttpResponseMessage> Checked(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return response;
        string body = await response.Content.ReadAsStringAsync();
        response.Dispose();
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            throw new UserInputException(http.DefaultRequestHeaders.Authorization is null
                ? $"The server at {http.BaseAddress} needs an API token (it runs with accounts). Sign in to it, create one on "
                  + $"its API tokens page ({new Uri(http.BaseAddress!, "/account/tokens")}, in the user menu), and pass it with --token or the {TokenVariable} environment variable."
                : $"The server at {http.BaseAddress} refused the API token: {ProblemText(body)} Tokens are made and revoked on its API tokens page ({new Uri(http.BaseAddress!, "/account/tokens")}).");
        throw new UserInputException($"The server answered {(int)response.StatusCode} to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {ProblemText(body)}");
    }

    private static async Task<T> Read<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new UserInputException($"The server sent an empty answer to {response.RequestMessage?.RequestUri?.PathAndQuery}.");

    /// <summary>A problem-details body's detail and field errors, or the body itself (cut) when it is not one.</summary>
    private static string ProblemText(string body)
    {
        try
        {
            var problem = JsonNode.Parse(body)!.AsObject();
            var errors = problem["errors"]?.AsObject().Select(e => $"{e.Key}: {string.Join(" ", e.Value!.AsArray().Select(m => (string?)m))}") ?? [];
            return string.Join("; ", new[] { (string?)problem["detail"] ?? (string?)problem["title"] }.Concat(errors).Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return body.Length > 300 ? body[..300] + "..." : body;
        }
    }

    public void Dispose() => http.Dispose();
}
