using SemiCmr.Web.Caching;
using SemiCmr.Web.RunReports;

// In the hosting namespace so Program.cs needs no extra using.
namespace Microsoft.Extensions.Hosting;

public static class RunReportsExtensions
{
    /// <summary>Reading runs: the runs table query, its CSV export and per-run reports.</summary>
    public static IHostApplicationBuilder AddRunReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRunReading();
        return builder;
    }

    /// <summary>What the API and the pages read runs through (lists, one run, its epochs, its report): also what component tests register.</summary>
    public static IServiceCollection AddRunReading(this IServiceCollection services) =>
        services.AddResourceCache().AddSingleton<RunTable>().AddSingleton<RunQueries>().AddSingleton<RunReportService>();
}
