using SemiCmr.Web.Caching;
using SemiCmr.Web.Search;

namespace SemiCmr.Web.Runs;

public static class RunExtensions
{
    /// <summary>
    /// A run's whole lifecycle, shared by the API, the pages and the demo: creating (with its size limits), queuing,
    /// training (<see cref="AddRunWorker"/>), cancelling and deleting.
    /// </summary>
    public static IHostApplicationBuilder AddTraining(this IHostApplicationBuilder builder)
    {
        builder.AddRunWorker();
        builder.Services.AddSingleton<RunCreator>();
        builder.Services.AddSingleton<RunLimits>();
        builder.Services.AddSingleton<RunCanceller>();
        builder.Services.AddResourceCache().AddRunVectors().AddSingleton<RunRemover>();
        return builder;
    }

    /// <summary>
    /// The training side alone, which the app and <c>semicmr worker</c> (<see cref="WorkerHost"/>) both register: the
    /// queue (in-process on SQLite, leases in the database on PostgreSQL), the worker thread (when Worker:Enabled), the
    /// executor, and on PostgreSQL the recovery of runs whose worker died.
    /// </summary>
    public static IHostApplicationBuilder AddRunWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunQueue>();
        builder.Services.AddSingleton<RunCancellations>();
        // PostgreSQL: a succeeded run's vectors are copied to pgvector by the worker that trained it.
        builder.Services.AddResourceCache().AddRunVectors();
        builder.Services.AddSingleton<WorkerIdentity>();
        builder.Services.AddSingleton<RunLeases>();
        builder.Services.AddSingleton<RunExecutor>();
        builder.Services.AddHostedService<TrainingWorker>();
        builder.Services.AddHostedService<LeaseRecovery>();
        return builder;
    }
}
