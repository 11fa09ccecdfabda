namespace SemiCmr.Web.Runs;

public static class RunExtensions
{
    public static IHostApplicationBuilder AddTraining(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunQueue>();
        builder.Services.AddSingleton<RunCancellations>();
        builder.Services.AddSingleton<RunExecutor>();
        builder.Services.AddHostedService<TrainingWorker>();
        return builder;
    }
}
