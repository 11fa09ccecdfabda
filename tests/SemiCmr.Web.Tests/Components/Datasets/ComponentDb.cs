using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Import;
using SemiCmr.Web.Budgets;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Datasets;

/// <summary>A bUnit context whose components talk to a fresh database (<see cref="TestDatabase"/>) holding one ready dataset.</summary>
public static class ComponentDb
{
    /// <param name="services">More services the component needs, added before the database is first used.</param>
    public static (BunitContext Context, int DatasetId) WithDataset(FeatureDataset source, string name = "test", Action<IServiceCollection>? services = null)
    {
        var context = MudTestContext.Create();
        string folder = TestPaths.NewTempFolder(), file = Path.Combine(folder, "components.db");
        context.Services.AddDatabase(file);
        context.Services.AddSingleton(new AppPaths(Options.Create(new DataOptions { Directory = folder }), Options.Create(new ImportOptions()),
            new HostingEnvironment { ContentRootPath = folder }));
        // An annotation invalidates what the cache made from the dataset's labels: the budget service needs the cache.
        context.Services.AddSingleton(Options.Create(new CacheOptions()));
        context.Services.AddBudgetService();
        // What pages read datasets and runs through, registered as the app registers them.
        context.Services.AddDatasetReading().AddRunReading();
        services?.Invoke(context.Services);

        var dbFactory = context.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>();
        using var db = dbFactory.CreateDbContext();
        db.Database.Migrate();
        var dataset = new Dataset
        {
            Name = name, Source = "folder", Status = DatasetStatus.Ready, ItemCount = source.Items.Count, Classes = [.. source.ClassNames],
            IsMultiLabel = source.IsMultiLabel, CreatedAt = DateTime.UtcNow,
        };
        db.Datasets.Add(dataset);
        db.SaveChanges();
        // Items and labels as an import writes them: through the one writer of labels.
        ItemRows.Insert(dbFactory, dataset.Id, source.Items, new Progress<ImportProgress>(), TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
        return (context, dataset.Id);
    }

    /// <summary>a, b train (cat, dog); c, d test (cat, dog): no features, enough for budgets and grids.</summary>
    public static FeatureDataset Tiny()
    {
        DatasetItem[] items = [new("a", Split.Train, [0]), new("b", Split.Train, [1]), new("c", Split.Test, [0]), new("d", Split.Test, [1])];
        var empty = new FeatureMatrix([], items.Length, 0);
        return new FeatureDataset(items, ["cat", "dog"], empty, empty);
    }
}
