using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using SemiCmr.Web.Auth;

namespace SemiCmr.Web.Progress;

public static class ProgressExtensions
{
    public static IHostApplicationBuilder AddProgress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RunProgressBroadcaster>();
        // Across instances on PostgreSQL (idle on SQLite). Needs no SignalR: a worker host without a web server publishes too.
        builder.Services.AddSingleton<PostgresProgressRelay>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PostgresProgressRelay>());
        builder.Services.AddSingleton<HubRateLimitFilter>();
        // The limit is for /hubs/runs only: Blazor's own circuit hub carries every click and render.
        builder.Services.AddSignalR()
            .AddHubOptions<RunsHub>(options => options.AddFilter<HubRateLimitFilter>())
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddHostedService<HubRelay>();
        return builder;
    }

    public static IEndpointRouteBuilder MapProgress(this IEndpointRouteBuilder app)
    {
        // Every method of the hub is for viewers and above (RunsHub carries the same [Authorize]).
        app.MapHub<RunsHub>("/hubs/runs").RequireAuthorization(Policies.ViewerOrAbove);
        return app;
    }
}
