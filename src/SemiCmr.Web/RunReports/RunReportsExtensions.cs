using SemiCmr.Web.RunReports;

// In the hosting namespace so Program.cs needs no extra using.
namespace Microsoft.Extensions.Hosting;

public static class RunReportsExtensions
{
    /// <summary>Run creation shared by the API and the pages, the runs table query and per-run analysis.</summary>
    public static IHostApplicationBuilder AddRunReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunCreator>();
        builder.Services.AddSingleton<RunLimits>();
        builder.Services.AddSingleton<RunCanceller>();
        builder.Services.AddSingleton<RunRemover>();
        builder.Services.AddSingleton<RunTable>();
        builder.Services.AddSingleton<RunReportService>();
        return builder;
    }
}
