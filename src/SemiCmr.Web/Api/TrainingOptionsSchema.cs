using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SemiCmr.Ml.Training;

namespace SemiCmr.Web.Api;

/// <summary>
/// The OpenAPI schema of `options` (POST /api/runs and every run): each property's description, range and default
/// come from <see cref="TrainingOptionCatalog"/>, the same description the API validates against.
/// </summary>
public sealed class TrainingOptionsSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(TrainingOptions) || schema.Properties is null) return Task.CompletedTask;
        schema.Description = "Training options; any left out take their default.";
        foreach (var option in TrainingOptionCatalog.All)
        {
            if (!schema.Properties.TryGetValue(option.Key, out var property) || property is not OpenApiSchema target) continue;
            target.Description = $"{option.Label}: {option.Help}";
            target.Minimum = TrainingOption.Text(option.Min);
            target.Maximum = TrainingOption.Text(option.Max);
            target.Default = option.IsInteger ? JsonValue.Create((int)option.Default) : JsonValue.Create(option.Default);
        }
        return Task.CompletedTask;
    }
}
