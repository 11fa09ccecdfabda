using Microsoft.Extensions.Options;

namespace SemiCmr.Web.Hosting;

public static class OptionsExtensions
{
    /// <summary>
    /// The one place settings are bound: one options class per section, checked by its attributes and, for rules
    /// across fields, by its IValidateOptions; the app refuses to start when a section is invalid.
    /// </summary>
    public static IHostApplicationBuilder AddSemiCmrOptions(this IHostApplicationBuilder builder)
    {
        Bind<DataOptions>(builder, DataOptions.Section);
        Bind<DatabaseOptions>(builder, DatabaseOptions.Section);
        builder.Services.PostConfigure<DatabaseOptions>(options =>
            options.ConnectionString ??= builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName));
        Bind<ImportOptions>(builder, ImportOptions.Section);
        Bind<TrainingHostOptions>(builder, TrainingHostOptions.Section);
        Bind<DemoOptions>(builder, DemoOptions.Section);
        Bind<SearchOptions>(builder, SearchOptions.Section);
        Bind<CacheOptions>(builder, CacheOptions.Section);
        Bind<AuthOptions>(builder, AuthOptions.Section);
        Bind<RateLimitOptions>(builder, RateLimitOptions.Section);
        Bind<WorkerOptions>(builder, WorkerOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<ImportOptions>, ImportOptionsRules>();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsRules>();
        builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsRules>();
        builder.Services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsRules>();
        builder.Services.AddSingleton<AppPaths>();
        return builder;
    }

    private static void Bind<T>(IHostApplicationBuilder builder, string section) where T : class =>
        builder.Services.AddOptions<T>()
            .Bind(builder.Configuration.GetSection(section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
