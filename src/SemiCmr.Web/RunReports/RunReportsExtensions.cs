using SemiCmr.Web.Caching;
using SemiCmr.Web.RunReports;

// In the hosting namespace so Program.cs needs no extra using.
namespace Microsoft.Extensions.Hosting;

public static class RunReportsExtensions
{
    /// <summary>Reading runs: the runs table query, its CSV export and per-run reports.</summary>
    public static IHostApplicationBuilder AddRunReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunTable>();
        builder.Services.AddResourceCache().AddSingleton<RunReportService>();
        return builder;
    }
}
