using System.Net.Http.Json;
using SemiCmr.Web.Health;

namespace SemiCmr.Web.Tests;

[Collection(FeatureCollection.Name)]
public sealed class HealthTests(FeatureAppFixture fixture)
{
    [Fact]
    public async Task HealthReportsOkWithDeviceThreadsAndVersion()
    {
        var health = await fixture.App.CreateClient().GetFromJsonAsync<HealthResponse>("/api/health", TestContext.Current.CancellationToken);

        Assert.Equal(("ok", "cpu", 1), (health!.Status, health.Device, health.Threads));
        Assert.False(string.IsNullOrEmpty(health.Version));
    }

    [Fact]
    public async Task OpenApiDocumentListsTheRestContract()
    {
        var document = await fixture.App.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        foreach (var path in new[] { "/api/datasets/from-folder", "/api/runs/{id}/cancel", "/api/runs/{id}/search", "/api/runs/{id}/epochs" })
            Assert.Contains($"\"{path}\"", document);
    }
}
