using SemiCmr.Web.Caching;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Runs;

public static class RunExtensions
{
    /// <summary>
    /// A run's whole lifecycle, shared by the API, the pages and the demo: creating (with its size limits), queuing,
    /// training on the worker thread (which also recovers runs a crash left behind), cancelling and deleting.
    /// </summary>
    public static IHostApplicationBuilder AddTraining(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunCreator>();
        builder.Services.AddSingleton<RunLimits>();
        builder.Services.AddSingleton<RunQueue>();
        builder.Services.AddSingleton<RunCancellations>();
        builder.Services.AddSingleton<RunCanceller>();
        builder.Services.AddResourceCache().AddRunVectors().AddSingleton<RunRemover>();
        builder.Services.AddSingleton<RunExecutor>();
        builder.Services.AddHostedService<TrainingWorker>();
        return builder;
    }
}
