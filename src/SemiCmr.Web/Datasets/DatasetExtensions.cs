using SemiCmr.Web.Caching;

namespace SemiCmr.Web.Datasets;

public static class DatasetExtensions
{
    public static IHostApplicationBuilder AddDatasets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImportQueue>();
        builder.Services.AddSingleton<DatasetStats>();
        builder.Services.AddSingleton<IFolderMover, FolderMover>();
        builder.Services.AddResourceCache().AddSingleton<DatasetRemover>();
        builder.Services.AddHostedService<DatasetImporter>();
        return builder;
    }
}
