using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Tests.Protection;

/// <summary>
/// Outside Development no answer shows a stack trace, a server path or an exception's type, whatever fails: bad
/// bodies, unknown routes, imports of broken files, and an exception nothing handles (<see cref="BrokenDiskApp"/>).
/// </summary>
public sealed partial class NoServerDetailsTests(BrokenDiskApp fixture) : IClassFixture<BrokenDiskApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private SemiCmrApp App => fixture.App;

    public static TheoryData<string, string, string?, string?, int> BadRequests => new()
    {
        // method, path, content type, body, status
        { "POST", "/api/runs", "application/json", "{\"datasetId\": ", 400 },
        { "POST", "/api/runs", "application/json", "{\"datasetId\": \"one\", \"labelRatio\": []}", 400 },
        { "POST", "/api/runs", "application/json", "[1, 2, 3]", 400 },
        { "POST", "/api/runs", "text/plain", "datasetId=1", 415 },
        { "POST", "/api/datasets/from-folder", "application/json", "{\"name\": \"x\", \"path\": {\"nested\": true}}", 400 },
        { "POST", "/api/runs/1/search", "application/json", "{\"k\": 1e999}", 400 },
        { "POST", "/api/tokens", "application/json", "{\"days\": \"soon\"", 400 },
        { "POST", "/api/datasets", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n\r\nPK", 400 },
        { "POST", "/api/datasets", "multipart/form-data", "--b\r\n\r\n", 400 },
        { "POST", "/api/runs/1/search/image", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n", 400 },
        { "GET", "/api/nothing/here", null, null, 404 },
        { "POST", "/api/nothing/here", "application/json", "{}", 405 }, // the pages' catch-all route answers GET only
        { "GET", "/no/such/page", null, null, 404 },
        { "GET", "/_content/MudBlazor/none.css", null, null, 404 },
        { "GET", "/api/datasets/abc", null, null, 404 },
        { "GET", "/api/datasets/999999/items/0/image", null, null, 404 },
        { "DELETE", "/api/runs/999999", null, null, 404 },
        { "GET", "/hubs/runs", null, null, 400 },
        { "POST", "/account/login", "multipart/form-data; boundary=b", "--b\r\nbroken", 400 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_answered_without_server_details(string method, string path, string? contentType, string? body, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await App.CreateClient().SendAsync(request, Cancel);

        Assert.Equal(status, (int)response.StatusCode);
        AssertNothingLeaks(await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task An_exception_nothing_handles_is_a_500_without_its_message_type_or_stack()
    {
        var response = await App.CreateClient().DeleteAsync($"/api/datasets/{fixture.DatasetId}", Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(fixture.Mover.Calls > 0, "the failure was provoked");
        string body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain("went away", body, StringComparison.Ordinal);
        AssertNothingLeaks(body);
    }

    [Fact]
    public async Task Imports_of_broken_files_fail_saying_what_is_wrong_without_server_details()
    {
        var client = App.CreateClient();
        var ids = new List<int> { await App.ImportFolder(TinyDatasets.Write(App.ImportRoot, "short-and-nan", featureRows: 3, nan: true), "short and nan") };

        string truncated = TinyDatasets.Write(App.ImportRoot, "truncated-npy");
        File.WriteAllBytes(Path.Combine(truncated, "image_features.npy"), File.ReadAllBytes(Path.Combine(truncated, "image_features.npy"))[..20]);
        string garbled = TinyDatasets.Write(App.ImportRoot, "garbled-csv");
        File.WriteAllBytes(Path.Combine(garbled, "items.csv"), [0xFF, 0xFE, 0x00, 0x22, 0x0A, 0x22, 0x2C, 0x0A]);
        foreach (var folder in new[] { truncated, garbled })
        {
            var upload = await client.PostAsync("/api/datasets", ZipForm(TinyDatasets.Zip(folder, folder + ".zip"), Path.GetFileName(folder)), Cancel);
            string answer = await upload.Content.ReadAsStringAsync(Cancel);
            AssertNothingLeaks(answer);
            if (upload.StatusCode == HttpStatusCode.Accepted) ids.Add((await upload.Content.ReadFromJsonAsync<CreatedResponse>(Cancel))!.Id);
            else Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        }
        string notAZip = Path.Combine(App.ImportRoot, "not-a.zip");
        File.WriteAllBytes(notAZip, [.. "PK\x03\x04"u8, .. new byte[200]]);
        var refused = await client.PostAsync("/api/datasets", ZipForm(notAZip, "not a zip"), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        AssertNothingLeaks(await refused.Content.ReadAsStringAsync(Cancel));

        foreach (int id in ids)
        {
            Assert.Equal(DatasetStatus.Failed, (await App.WaitForDataset(id)).Status);
            AssertNothingLeaks(await client.GetStringAsync($"/api/datasets/{id}", Cancel));
        }
        AssertNothingLeaks(await client.GetStringAsync("/api/datasets", Cancel));
    }

    /// <summary>No stack frame, no folder of this server (data, imports, content root), no .NET type name.</summary>
    private void AssertNothingLeaks(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
        foreach (string path in new[] { App.DataDirectory, App.ImportRoot, Path.GetDirectoryName(App.DataDirectory)!, TestPaths.RepoRoot })
            Assert.DoesNotContain(path, body, StringComparison.Ordinal);
        Assert.DoesNotMatch(TypeName(), body);
    }

    [GeneratedRegex(@"\b\w*Exception\b|\b(System|Microsoft|SemiCmr)\.[A-Z]")]
    private static partial Regex TypeName();

    private static MultipartFormDataContent ZipForm(string zip, string name) => new()
    {
        { new StringContent(name), "name" },
        { new ByteArrayContent(File.ReadAllBytes(zip)), "file", Path.GetFileName(zip) },
    };
}
