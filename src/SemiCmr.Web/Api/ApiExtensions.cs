using System.Text.Json;
using System.Text.Json.Serialization;
using Scalar.AspNetCore;
using SemiCmr.Web.Auth;

namespace SemiCmr.Web.Api;

public static class ApiExtensions
{
    /// <summary>JSON conventions, RFC 7807 problems for every error, and the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(options => options.AddSchemaTransformer<TrainingOptionsSchema>());
        return builder;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().RequireAuthorization(Policies.ViewerOrAbove);
        // Under the app's CSP (Protection/SecurityHeaders): Scalar's one inline script carries a fresh nonce, which the CSP
        // of that answer allows, and its fonts are the system's rather than from Scalar's CDN.
        app.MapScalarApiReference(options => options.WithNonce().DisableDefaultFonts()).RequireAuthorization(Policies.ViewerOrAbove);
        return app;
    }
}
