using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Samples;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Ml.Import;

namespace SemiCmr.Web.Tests;

/// <summary>Items are written in batches with progress, in order, and removed again when the import fails.</summary>
public sealed class LargeImportTests : IAsyncLifetime
{
    private readonly SemiCmrApp app = SemiCmrApp.InTempFolders();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task ADatasetOfSeveralBatchesIsStoredWholeAndInOrder()
    {
        var spec = new FeatureSampleSpec(Classes: 5, TrainItems: 10_000, TestItems: 2_500, ImageDim: 8, TextDim: 8);
        string folder = FeatureSamples.Write(Path.Combine(app.ImportRoot, "large"), spec);
        var written = FeatureDatasetReader.Read(folder);

        var dataset = await app.WaitForDataset(await app.ImportFolder(folder, "large"));
        var last = await app.CreateClient().GetFromJsonAsync<ItemPage>($"/api/datasets/{dataset.Id}/items?offset=12499&limit=1", Json.Options, Cancel);

        Assert.Equal((DatasetStatus.Ready, 12_500, 8, 8), (dataset.Status, dataset.ItemCount, dataset.ImageDim, dataset.TextDim));
        Assert.Equal(12_500, last!.Total);
        Assert.Equal((12_499, written.Items[12_499].Id), (last.Items[0].Row, last.Items[0].ExternalId));
        Assert.Equal(written.Items[12_499].Labels.Select(l => written.ClassNames[l]), last.Items[0].Labels);
    }

    [Fact]
    public async Task ItemsAreWrittenInBatchesWithProgressAndRemovedWhenTheImportFails()
    {
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>();
        await using var db = await dbFactory.CreateDbContextAsync(Cancel);
        var row = new Dataset { Name = "importing", Source = "folder", Status = DatasetStatus.Importing, CreatedAt = DateTime.UtcNow };
        db.Datasets.Add(row);
        await db.SaveChangesAsync(Cancel);
        var items = Enumerable.Range(0, 12_500).Select(i => new DatasetItem($"item{i}", Split.Train, [i % 3])).ToList();
        var reported = new List<ImportProgress>();

        await ItemRows.Insert(dbFactory, row.Id, items, new Recorder(reported), TimeProvider.System, Cancel);
        int stored = await db.Items.CountAsync(i => i.DatasetId == row.Id, Cancel);
        int removed = await ItemRows.DeleteAll(db, row.Id, Cancel);

        Assert.Equal([5_000, 10_000, 12_500], reported.Select(p => p.Done));
        Assert.All(reported, p => Assert.Equal(("saving", 12_500), (p.Phase, p.Total)));
        Assert.Equal((12_500, 12_500), (stored, removed));
        Assert.Equal(0, await db.Items.CountAsync(i => i.DatasetId == row.Id, Cancel));
    }

    private sealed class Recorder(List<ImportProgress> reported) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => reported.Add(value);
    }
}
