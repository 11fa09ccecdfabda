using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Api;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Protection;

namespace SemiCmr.Web.Search;

/// <summary>POST /api/runs/{id}/search: text or itemId; target (image | text) defaults to the other modality of the query.</summary>
public sealed record SearchRequest(string? Text, string? ItemId, string? Target, int? K, int? Offset, IReadOnlyList<string>? Labels);

/// <summary>The search routes: they turn HTTP into a <see cref="SearchSpec"/> and answer what <see cref="SearchService"/> says.</summary>
public static class SearchEndpoints
{
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSearchIndexes();
        builder.Services.AddSingleton<SearchIndexStatusReader>();
        builder.Services.AddHostedService<ApproximateIndexWarmer>();
        builder.Services.AddSingleton<QueryModels>();
        builder.Services.AddSingleton<SearchService>();
        return builder;
    }

    /// <summary>The runs' search indexes and the cache that keeps them: what search needs.</summary>
    public static IServiceCollection AddSearchIndexes(this IServiceCollection services) =>
        services.AddResourceCache().AddRunVectors().AddSingleton<SearchIndexes>();

    /// <summary>Runs' vectors in PostgreSQL (in use on PostgreSQL only): written at the end of a run, searched, dropped with deleted runs.</summary>
    public static IServiceCollection AddRunVectors(this IServiceCollection services)
    {
        services.TryAddSingleton<RunVectorStore>();
        services.TryAddSingleton<ApproximateIndexes>();
        services.TryAddSingleton<RunVectorWriter>();
        return services;
    }

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        // A search is a read, though it is a POST: viewers search.
        var group = app.MapGroup("/api/runs/{id:int}/search").WithTags("Search").RequireAuthorization(Policies.ViewerOrAbove);
        group.MapPost("/", Search).LimitedBy(RateLimits.Search);
        // Routing answers a body that is not multipart with 415 before the handler runs: declared here, as no type says it.
        group.MapPost("/image", SearchByImage).DisableAntiforgery().Accepts<IFormFile>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).LimitedBy(RateLimits.Search);
        group.MapGet("/index", IndexStatus);
        return app;
    }

    private static async Task<Answer<Ok<SearchResponse>, Refused.Invalid, Refused.NotFound, Refused.Conflict>> Search(int id, SearchRequest request, SearchService search, CancellationToken cancellationToken)
    {
        SearchQuery query = !string.IsNullOrWhiteSpace(request.Text) ? new SearchQuery.ByText(request.Text) : new SearchQuery.ByItem(request.ItemId ?? "");
        var errors = new Dictionary<string, string[]>();
        var spec = new SearchSpec(query, Target(request.Target, query, errors), request.K ?? 10, request.Offset ?? 0, request.Labels);
        if (errors.Count > 0) return Refuse(search, spec, errors);
        var outcome = await search.Search(id, spec, cancellationToken);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }

    /// <summary>Whether the run's search is exact or approximate (HNSW), and how far an index build has come.</summary>
    private static async Task<Answer<Ok<SearchIndexStatus>, Refused.NotFound, Refused.Conflict>> IndexStatus(int id, SearchIndexStatusReader status,
        CancellationToken cancellationToken)
    {
        var outcome = await status.Read(id, cancellationToken);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }

    /// <summary>Multipart: file (an image, at most Search:MaxQueryImageBytes), optional target (default text), k, offset, labels (comma-separated).</summary>
    private static async Task<Answer<Ok<SearchResponse>, Refused.Invalid, Refused.NotFound, Refused.Conflict, Refused.TooLarge>> SearchByImage(int id, HttpRequest request, SearchService search, IOptions<SearchOptions> options,
        CancellationToken cancellationToken)
    {
        // Refused before the body is read: the limit bounds what a request can make the server buffer.
        long limit = options.Value.MaxQueryImageBytes, bodyLimit = limit + 64 * 1024;
        string tooLarge = $"The image is larger than Search:MaxQueryImageBytes ({limit} bytes).";
        if (request.ContentLength > bodyLimit) return ServiceProblem.Field(ProblemKind.TooLarge, "file", tooLarge);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = bodyLimit;
        if (!request.HasFormContentType) return ServiceProblem.Invalid("file", "Send multipart/form-data with the image in the field 'file'.");

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = bodyLimit }, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? ServiceProblem.Field(ProblemKind.TooLarge, "file", tooLarge)
                : ServiceProblem.Invalid("file", $"The multipart form could not be read: {e.Message}");
        }

        var errors = new Dictionary<string, string[]>();
        var file = form.Files.GetFile("file");
        if (file is not null && file.Length > limit) return ServiceProblem.Field(ProblemKind.TooLarge, "file", tooLarge);
        var image = new byte[file?.Length ?? 0];
        if (file is not null)
        {
            await using var stream = file.OpenReadStream();
            await stream.ReadExactlyAsync(image, cancellationToken);
        }
        var query = new SearchQuery.ByImage(image, file?.FileName ?? "");
        bool targetImages = Target(form["target"].FirstOrDefault(), query, errors);
        int? k = ParseInt(form, "k", errors), offset = ParseInt(form, "offset", errors);
        var labels = form["labels"].SelectMany(l => (l ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var spec = new SearchSpec(query, targetImages, k ?? 10, offset ?? 0, labels);
        if (errors.Count > 0) return Refuse(search, spec, errors);
        var outcome = await search.Search(id, spec, cancellationToken);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }

    /// <summary>The request's own field errors together with the service's, so one answer names every bad field.</summary>
    private static ServiceProblem Refuse(SearchService search, SearchSpec spec, Dictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in search.Validate(spec)?.Errors ?? new Dictionary<string, string[]>()) errors.TryAdd(field, messages);
        return new ServiceProblem(ProblemKind.Invalid, errors);
    }

    /// <summary>"image" or "text"; empty means the query's default (<see cref="SearchQuery.TargetsImagesByDefault"/>).</summary>
    private static bool Target(string? target, SearchQuery query, Dictionary<string, string[]> errors)
    {
        switch (target)
        {
            case null or "": return query.TargetsImagesByDefault;
            case "image": return true;
            case "text": return false;
            default:
                errors["target"] = ["target must be image or text."];
                return false;
        }
    }

    private static int? ParseInt(IFormCollection form, string field, Dictionary<string, string[]> errors)
    {
        if (form[field].FirstOrDefault() is not { Length: > 0 } value) return null;
        if (int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out int parsed)) return parsed;
        errors[field] = [$"{field} must be a whole number."];
        return null;
    }
}
