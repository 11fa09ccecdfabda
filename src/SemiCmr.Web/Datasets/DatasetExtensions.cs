namespace SemiCmr.Web.Datasets;

public static class DatasetExtensions
{
    public static IHostApplicationBuilder AddDatasets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImportQueue>();
        builder.Services.AddSingleton<DatasetStats>();
        builder.Services.AddSingleton<IFolderMover, FolderMover>();
        builder.Services.AddSingleton<DatasetRemover>();
        builder.Services.AddHostedService<DatasetImporter>();
        return builder;
    }
}
