using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Search;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests;

/// <summary>
/// A trained run's search answers what the exact scan of its embeddings files ranks, with and without a label filter:
/// in-process on SQLite, answered by PostgreSQL (pgvector) on PostgreSQL.
/// </summary>
[Collection(FeatureCollection.Name)]
public sealed class SearchAgreementTests(FeatureAppFixture fixture)
{
    private const int K = 10;

    [Fact]
    public async Task SearchReturnsTheExactScansHitsWithAndWithoutALabelFilter()
    {
        var run = await fixture.SucceededRun();
        string folder = Path.Combine(fixture.App.DataDirectory, "runs", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var images = ExactIndex.Open(Path.Combine(folder, ModelFiles.ImageEmbeddings));
        using var texts = ExactIndex.Open(Path.Combine(folder, ModelFiles.TextEmbeddings));
        int[][] labels;
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
            labels = await ItemLabelStore.ByRow(db, fixture.DatasetId, images.Count, TestContext.Current.CancellationToken);
        int lastClass = fixture.Features.ClassCount - 1;
        var labelled = new RowSet(images.Count);
        for (int row = 0; row < labels.Length; row++)
            if (labels[row].Contains(lastClass)) labelled.Add(row);

        var client = fixture.App.CreateClient();
        for (int row = 0; row < images.Count; row += images.Count / 12)
        {
            string item = fixture.Features.Items[row].Id;
            foreach (var (filter, names) in new[] { ((RowSet?)null, Array.Empty<string>()), (labelled, new[] { fixture.Features.ClassNames[lastClass] }) })
            {
                var exact = images.Search(texts.Row(row), K, 0, filter);
                var response = await client.PostAsJsonAsync($"/api/runs/{run.Id}/search", new { itemId = item, target = "image", k = K, labels = names },
                    TestContext.Current.CancellationToken);
                var found = (await response.Content.ReadFromJsonAsync<SearchResponse>(Json.Options, TestContext.Current.CancellationToken))!;

                Assert.Equal(exact.Total, found.Total);
                Assert.Equal(exact.Hits.Select(h => h.Row), found.Hits.Select(h => h.Row));
                Assert.All(exact.Hits.Zip(found.Hits), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 1e-5));
            }
        }
    }
}
