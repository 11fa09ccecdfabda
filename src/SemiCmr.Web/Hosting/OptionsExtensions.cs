namespace SemiCmr.Web.Hosting;

public static class OptionsExtensions
{
    /// <summary>Binds every settings section and refuses to start when one is invalid.</summary>
    public static IHostApplicationBuilder AddSemiCmrOptions(this IHostApplicationBuilder builder)
    {
        Bind<DataOptions>(builder, DataOptions.Section);
        Bind<ImportOptions>(builder, ImportOptions.Section);
        Bind<TrainingHostOptions>(builder, TrainingHostOptions.Section);
        Bind<DemoOptions>(builder, DemoOptions.Section);
        Bind<SearchOptions>(builder, SearchOptions.Section);
        builder.Services.AddSingleton<AppPaths>();
        return builder;
    }

    private static void Bind<T>(IHostApplicationBuilder builder, string section) where T : class =>
        builder.Services.AddOptions<T>()
            .Bind(builder.Configuration.GetSection(section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
