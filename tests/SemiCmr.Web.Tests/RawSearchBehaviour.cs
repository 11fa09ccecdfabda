using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests;

/// <summary>Searching a raw dataset imported with MiniLM and ResNet-18: on generated scenes and on Flickr8k photos.</summary>
[Collection(ShapesCollection.Name)]
public sealed class ShapesSearchTests(ShapesAppFixture fixture) : RawSearchBehaviour(fixture);

[Collection(FlickrCollection.Name)]
public sealed class FlickrSearchTests(FlickrAppFixture fixture) : RawSearchBehaviour(fixture);

public abstract class RawSearchBehaviour
{
    private readonly RawAppFixture fixture;

    protected RawSearchBehaviour(RawAppFixture fixture) => this.fixture = fixture;

    private SemiCmrApp App => fixture.App;
    private RawExpectations Expected => fixture.Expected;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void ManifestImportsWithExactlyItsSkipsMiniLmTextAndResNetImages()
    {
        fixture.RequireSource();
        var dataset = fixture.Dataset;

        Assert.Equal(DatasetStatus.Ready, dataset.Status);
        Assert.Equal(Expected.Items, dataset.ItemCount);
        Assert.Equal(Expected.Skipped, dataset.Skipped.Count);
        Assert.Equal(("manifest", "minilm", "resnet18"), (dataset.Format, dataset.TextEncoder, dataset.ImageEncoder));
        Assert.Equal((512, 384), (dataset.ImageDim, dataset.TextDim));
        Assert.Equal(Expected.Splits, dataset.Splits);
        Assert.Equal(Expected.Classes, dataset.Classes.Count);
    }

    [Fact]
    public void ImportProgressCameWithItemsRateTimeLeftAndAFinalReadyEvent()
    {
        fixture.RequireSource();
        List<Progress.ImportProgressEvent> events;
        lock (fixture.ImportEvents) events = [.. fixture.ImportEvents];

        Assert.Contains(events, e => e is { Phase: "images", Done: > 0, ItemsPerSecond: > 0, SecondsLeft: not null });
        var final = events[^1];
        Assert.True(final.IsFinal);
        Assert.Equal(("ready", Expected.Items, Expected.Skipped), (final.Status, final.ItemCount, final.Skipped));
        Assert.All(events, e => Assert.Equal(fixture.DatasetId, e.DatasetId));
    }

    [Fact]
    public async Task SscmrAtLabelRatioPointThreeBeatsCcaOnBothMaps()
    {
        fixture.RequireSource();
        var (sscmr, cca) = await fixture.Runs();

        Assert.Equal((RunStatus.Succeeded, RunStatus.Succeeded), (sscmr.Status, cca.Status));
        Assert.True(sscmr.Metrics!.MapI2T > cca.Metrics!.MapI2T, $"image->text: sscmr {sscmr.Metrics.MapI2T:F3}, cca {cca.Metrics.MapI2T:F3}");
        Assert.True(sscmr.Metrics.MapT2I > cca.Metrics.MapT2I, $"text->image: sscmr {sscmr.Metrics.MapT2I:F3}, cca {cca.Metrics.MapT2I:F3}");
    }

    [Fact]
    public async Task FreeTextQueryFindsImagesOfWhatItNamesWithImageAndThumbnailUrls()
    {
        fixture.RequireSource();
        var (sscmr, _) = await fixture.Runs();
        var response = await App.CreateClient().PostAsJsonAsync($"/api/runs/{sscmr.Id}/search", new { text = Expected.TextQuery, k = 10 }, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, Cancel))!;
        Assert.Equal(10, result.Hits.Count);
        Assert.InRange(result.Hits.Count(h => h.Labels.Contains(Expected.QueryLabel)), 8, 10);
        Assert.All(result.Hits, hit => Assert.StartsWith($"/api/datasets/{fixture.DatasetId}/items/", hit.ThumbnailUrl));
        Assert.Equal(result.Hits.OrderByDescending(h => h.Score).Select(h => h.ItemId), result.Hits.Select(h => h.ItemId));
    }

    [Fact]
    public async Task AnUploadedPhotoFindsTextsThatShareItsLabels()
    {
        fixture.RequireSource();
        var (sscmr, _) = await fixture.Runs();
        var page = await App.CreateClient().GetFromJsonAsync<ItemPage>($"/api/datasets/{fixture.DatasetId}/items?label={Expected.QueryLabel}&split=test&limit=1", Json.Options, Cancel);
        var query = page!.Items[0];
        string file = fixture.ImageFileOf(query);

        using var form = new MultipartFormDataContent { { Image(File.ReadAllBytes(file)), "file", Path.GetFileName(file) } };
        var response = await App.CreateClient().PostAsync($"/api/runs/{sscmr.Id}/search/image", form, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, Cancel))!;
        Assert.Equal(10, result.Hits.Count);
        Assert.All(result.Hits, hit => Assert.False(string.IsNullOrEmpty(hit.Text)));
        Assert.InRange(result.Hits.Count(h => h.Labels.Intersect(query.Labels).Any()), 5, 10);
    }

    [Fact]
    public async Task MalformedOrTruncatedImagesAreRefusedWithTheReason()
    {
        fixture.RequireSource();
        var (sscmr, _) = await fixture.Runs();
        var client = App.CreateClient();
        var page = await client.GetFromJsonAsync<ItemPage>($"/api/datasets/{fixture.DatasetId}/items?limit=1", Json.Options, Cancel);
        var photo = File.ReadAllBytes(fixture.ImageFileOf(page!.Items[0]));

        foreach (var bytes in new[] { "not an image at all"u8.ToArray(), photo[..(photo.Length / 3)] })
        {
            using var form = new MultipartFormDataContent { { Image(bytes), "file", "query" } };
            var response = await client.PostAsync($"/api/runs/{sscmr.Id}/search/image", form, Cancel);
            var problem = await Problem.Read(response, HttpStatusCode.BadRequest);
            Assert.False(string.IsNullOrWhiteSpace(problem.Errors["file"][0]));
        }

        using var missing = new MultipartFormDataContent { { new StringContent("text"), "target" } };
        Assert.Contains("file", (await Problem.Read(await client.PostAsync($"/api/runs/{sscmr.Id}/search/image", missing, Cancel), HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public async Task ItemsArePagedAndFilteredWithThumbnailsServedAsCachableJpegs()
    {
        fixture.RequireSource();
        var client = App.CreateClient();
        var all = await client.GetFromJsonAsync<ItemPage>($"/api/datasets/{fixture.DatasetId}/items?offset=10&limit=5", Json.Options, Cancel);
        Assert.Equal((Expected.Items, 5), (all!.Total, all.Items.Count));
        Assert.Equal([10, 11, 12, 13, 14], all.Items.Select(i => i.Row));

        var withLabel = await client.GetFromJsonAsync<ItemPage>($"/api/datasets/{fixture.DatasetId}/items?label={Expected.QueryLabel}&limit=500", Json.Options, Cancel);
        Assert.All(withLabel!.Items, item => Assert.Contains(Expected.QueryLabel, item.Labels));
        Assert.InRange(withLabel.Total, Expected.Items / 10, Expected.Items * 9 / 10);
        var unlabeled = await client.GetFromJsonAsync<ItemPage>($"/api/datasets/{fixture.DatasetId}/items?labeled=false", Json.Options, Cancel);
        Assert.Equal(Expected.Unlabeled, unlabeled!.Total);

        var thumbnail = await client.GetAsync(all.Items[0].ThumbnailUrl, Cancel);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age", thumbnail.Headers.CacheControl?.ToString());
        var again = new HttpRequestMessage(HttpMethod.Get, all.Items[0].ThumbnailUrl);
        again.Headers.IfNoneMatch.Add(thumbnail.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again, Cancel)).StatusCode);

        var image = await client.GetAsync(all.Items[0].ImageUrl, Cancel);
        Assert.Equal(Expected.ImageMediaType, image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/datasets/{fixture.DatasetId}/items/5000/thumbnail", Cancel)).StatusCode);
        var badLabel = await client.GetAsync($"/api/datasets/{fixture.DatasetId}/items?label=unicorn", Cancel);
        Assert.Contains("label", (await Problem.Read(badLabel, HttpStatusCode.BadRequest)).Errors.Keys);
    }

    private ByteArrayContent Image(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(Expected.ImageMediaType);
        return content;
    }
}
