using SemiCmr.Web.Demo;

// In the hosting namespace (as Aspire's service defaults do) so Program.cs needs one line and no using.
namespace Microsoft.Extensions.Hosting;

public static class DemoExtensions
{
    /// <summary>The generated demo dataset and run on a fresh install (Demo:Enabled).</summary>
    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }
}
