using System.Reflection;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Runtime;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Health;

public sealed record HealthResponse(string Status, string Device, int Threads, string Version);

public static class HealthEndpoints
{
    private static readonly string Version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", (IOptions<TrainingHostOptions> training) =>
                TypedResults.Ok(new HealthResponse("ok", DescribeDevice(training.Value.Device), training.Value.EffectiveThreads, Version)))
            .WithTags("Health")
            .AllowAnonymous(); // load balancers and `semicmr` probe it before anyone signs in; it says nothing private
        return app;
    }

    // A CUDA request on a machine without CUDA still answers "ok": the web app works, training reports the reason.
    private static string DescribeDevice(string requested)
    {
        try
        {
            return TorchRuntime.ResolveDevice(TorchRuntime.ParseDevice(requested)).type.ToString().ToLowerInvariant();
        }
        catch (InvalidOperationException e)
        {
            return $"unavailable ({requested}): {e.Message}";
        }
    }
}
