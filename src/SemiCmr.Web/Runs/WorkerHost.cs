using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Runs;

/// <summary>
/// A training worker without the web app (<c>semicmr worker</c>): a generic host made of the app's own registrations
/// (settings, database, progress, <see cref="RunExtensions.AddRunWorker"/>), so the worker cannot drift from the app.
/// It trains runs from a shared PostgreSQL database and a shared data folder, like an app with Worker:Enabled.
/// </summary>
public static class WorkerHost
{
    /// <summary>
    /// The worker's host builder: PostgreSQL at <paramref name="connectionString"/>, Data:Directory
    /// <paramref name="dataDirectory"/> (the folder the web instances use), Worker:Enabled; <paramref name="settings"/>
    /// (key, value) go over those and appsettings.json (e.g. Training:Device, Worker:LeaseSeconds).
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(
        string connectionString, string dataDirectory, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection(
        [
            new($"{DatabaseOptions.Section}:Provider", DatabaseOptions.Postgres),
            new($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}", connectionString),
            new($"{DataOptions.Section}:Directory", Path.GetFullPath(dataDirectory)),
            new($"{WorkerOptions.Section}:Enabled", "true"),
            .. settings ?? [],
        ]);
        builder.AddSemiCmrOptions();
        builder.AddDatabase();
        builder.AddProgress();
        builder.AddRunWorker();
        return builder;
    }
}
