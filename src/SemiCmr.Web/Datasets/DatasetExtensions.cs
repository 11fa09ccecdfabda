namespace SemiCmr.Web.Datasets;

public static class DatasetExtensions
{
    public static IHostApplicationBuilder AddDatasets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDatasetQueries();
        builder.Services.AddSingleton<ImportQueue>();
        builder.Services.AddSingleton<IFolderMover, FolderMover>();
        builder.Services.AddSingleton<DatasetRemover>();
        builder.Services.AddHostedService<DatasetImporter>();
        return builder;
    }

    /// <summary>What the dataset pages and the API read items and counts through; component tests register the same.</summary>
    public static IServiceCollection AddDatasetQueries(this IServiceCollection services)
    {
        services.AddSingleton<DatasetStats>();
        services.AddSingleton<ItemQueries>();
        return services;
    }
}
