using SemiCmr.Web.Caching;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Datasets;

public static class DatasetExtensions
{
    public static IHostApplicationBuilder AddDatasets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDatasetReading();
        builder.Services.AddSingleton<ImportQueue>();
        builder.Services.AddSingleton<IFolderMover, FolderMover>();
        builder.Services.AddResourceCache().AddRunVectors().AddSingleton<DatasetRemover>();
        builder.Services.AddHostedService<DatasetImporter>();
        // PostgreSQL: this instance's imports hold leases; any instance fails the imports whose instance stopped.
        builder.Services.AddSingleton<ImportLeases>();
        builder.Services.AddHostedService<ImportLeaseKeeper>();
        return builder;
    }

    /// <summary>What the API and the pages read datasets and items through (lists, one dataset, its counts, item pages): also what component tests register.</summary>
    public static IServiceCollection AddDatasetReading(this IServiceCollection services) =>
        services.AddResourceCache().AddSingleton<DatasetQueries>().AddSingleton<DatasetStats>().AddSingleton<ItemQueries>();
}
