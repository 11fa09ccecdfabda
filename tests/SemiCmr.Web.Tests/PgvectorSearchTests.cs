using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Models;
using SemiCmr.Ml.Samples;
using SemiCmr.Ml.Search;
using SemiCmr.Ml.Search.Pgvector;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Runs;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Tests;

/// <summary>
/// Runs' vectors in PostgreSQL: on a generated run of some thousands of items in clusters (a trained common space's
/// shape), pgvector's HNSW search finds the exact top 10, label filter included, without the run's files; deleting the
/// run or its dataset removes its vectors and indexes.
/// </summary>
public sealed class PgvectorSearchTests : IAsyncLifetime
{
    private const int Items = 3000, Dimensions = 48, Classes = 30, K = 10;
    private const string PostgresOnly = "pgvector is PostgreSQL's: with SQLite runs are searched in-process (ApproximateSearchTests, SearchAgreementTests)";

    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        app.TestServices = services => services.Configure<SearchOptions>(o => o.ApproximateAbove = 100);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task HnswSearchFindsTheExactTopTenWithAndWithoutALabelFilterWithoutTheRunsFiles()
    {
        if (!TestDatabase.IsPostgres) Assert.Skip(PostgresOnly);
        var (datasetId, clusters) = await Dataset();
        int runId = await Run(datasetId);
        string folder = app.Services.GetRequiredService<AppPaths>().Run(runId);
        var (images, texts) = (Npy.Read(Path.Combine(folder, ModelFiles.ImageEmbeddings)), Npy.Read(Path.Combine(folder, ModelFiles.TextEmbeddings)));
        using var exactImages = ExactIndex.Owning(images);
        using var exactTexts = ExactIndex.Owning(texts);
        Directory.Delete(folder, recursive: true); // a web instance has the database, not necessarily the files

        var status = await app.Services.GetRequiredService<SearchIndexStatusReader>().Read(runId, Cancel);
        Assert.Equal("approximate", status.Value!.Kind);
        var search = app.Services.GetRequiredService<SearchService>();
        int[] filterClasses = [0, 1, 2];
        var allowed = new RowSet(Items);
        for (int row = 0; row < Items; row++)
            if (filterClasses.Contains(clusters[row])) allowed.Add(row);
        var names = filterClasses.Select(c => $"class{c}").ToList();

        int queries = 0, found = 0, foundFiltered = 0;
        for (int row = 0; row < Items; row += 15, queries++)
        {
            var exact = exactImages.Search(exactTexts.Row(row), K, 0);
            var exactFiltered = exactImages.Search(exactTexts.Row(row), K, 0, allowed);
            var hits = (await search.Search(runId, new SearchSpec(new SearchQuery.ByItem($"item{row}"), TargetImages: true, K), Cancel)).Value!;
            var filtered = (await search.Search(runId, new SearchSpec(new SearchQuery.ByItem($"item{row}"), TargetImages: true, K, Labels: names), Cancel)).Value!;

            Assert.Equal(K, hits.Hits.Count);
            Assert.Equal(K, filtered.Hits.Count); // the iterative scan (or the exact fallback) fills a filtered page
            Assert.Equal(allowed.Count, filtered.Total);
            Assert.All(filtered.Hits, h => Assert.Contains(clusters[h.Row], filterClasses));
            found += hits.Hits.Select(h => h.Row).Intersect(exact.Hits.Select(h => h.Row)).Count();
            foundFiltered += filtered.Hits.Select(h => h.Row).Intersect(exactFiltered.Hits.Select(h => h.Row)).Count();
        }

        Assert.InRange((double)found / (queries * K), 0.95, 1);
        Assert.InRange((double)foundFiltered / (queries * K), 0.95, 1);
    }

    [Fact]
    public async Task DeletingARunOrItsDatasetRemovesItsVectorsAndIndexes()
    {
        if (!TestDatabase.IsPostgres) Assert.Skip(PostgresOnly);
        var (datasetId, _) = await Dataset();
        int first = await Run(datasetId), second = await Run(datasetId);
        Assert.Equal((2 * Items, true), await Vectors(first));
        var admin = new Actor("test", IsAdmin: true);

        Assert.Null(await app.Services.GetRequiredService<RunRemover>().Delete(first, admin, Cancel));
        Assert.Equal((0, false), await Vectors(first));
        Assert.Equal((2 * Items, true), await Vectors(second));

        Assert.Null(await app.Services.GetRequiredService<DatasetRemover>().Remove(datasetId, admin, Cancel));
        Assert.Equal((0, false), await Vectors(second));
    }

    /// <summary>A dataset row of <see cref="Items"/> items, item i of class cluster[i] ("class{c}"), without files (no import: only search needs it).</summary>
    private async Task<(int DatasetId, int[] Clusters)> Dataset()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Cancel);
        var dataset = new Dataset
        {
            Name = "generated", Source = "folder", Status = DatasetStatus.Ready, ItemCount = Items, ImageDim = Dimensions, TextDim = Dimensions,
            Classes = [.. Enumerable.Range(0, Classes).Select(c => $"class{c}")], CreatedAt = DateTime.UtcNow,
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Cancel);
        var clusters = new ClusteredVectors(Dimensions, Classes, seed: 3).Next(Items).Cluster;
        await ItemLabelStore.InsertNew(db, [.. Enumerable.Range(0, Items).Select(row =>
            (new Item { DatasetId = dataset.Id, Row = row, ExternalId = $"item{row}", Split = Split.Train }, (IReadOnlyList<int>)[clusters[row]]))], Cancel);
        return (dataset.Id, clusters);
    }

    /// <summary>
    /// A succeeded run of the dataset whose embeddings are generated around the classes' centres (texts near their
    /// images), written to PostgreSQL as a trained run's are.
    /// </summary>
    private async Task<int> Run(int datasetId)
    {
        int runId;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContextAsync(Cancel))
        {
            var run = new Run { DatasetId = datasetId, OptionsJson = "{}", Status = RunStatus.Succeeded, CreatedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow };
            db.Runs.Add(run);
            await db.SaveChangesAsync(Cancel);
            runId = run.Id;
        }
        // The same seed as Dataset(): the same clusters in the same order.
        var images = new ClusteredVectors(Dimensions, Classes, seed: 3).Next(Items).Values;
        var noise = new Random(runId);
        var texts = images.Select(v => v + 0.2f * (float)(noise.NextDouble() - 0.5)).ToArray();
        string folder = app.Services.GetRequiredService<AppPaths>().Run(runId);
        Directory.CreateDirectory(folder);
        Npy.Write(Path.Combine(folder, ModelFiles.ImageEmbeddings), new FeatureMatrix(images, Items, Dimensions));
        Npy.Write(Path.Combine(folder, ModelFiles.TextEmbeddings), new FeatureMatrix(texts, Items, Dimensions));
        app.Services.GetRequiredService<RunVectorWriter>().Write(runId, folder, Cancel);
        return runId;
    }

    /// <summary>The run's rows in the vectors table, and whether both its HNSW indexes exist.</summary>
    private async Task<(long Rows, bool Indexed)> Vectors(int runId)
    {
        var store = app.Services.GetRequiredService<RunVectorStore>();
        await using var connection = await store.DataSource.OpenConnectionAsync(Cancel);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM \"RunVectors\" WHERE \"RunId\" = $1", connection);
        count.Parameters.Add(new NpgsqlParameter { Value = runId });
        long rows = (long)(await count.ExecuteScalarAsync(Cancel))!;
        bool indexed = await VectorIndexBuild.Exists(connection, RunVectorStore.Table, runId, VectorTable.Images, Cancel)
            && await VectorIndexBuild.Exists(connection, RunVectorStore.Table, runId, VectorTable.Texts, Cancel);
        return (rows, indexed);
    }
}
