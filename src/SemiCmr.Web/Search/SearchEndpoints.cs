using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Features;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Search;

public sealed record SearchRequest(string? Text, string? ItemId, string? Target, int? K, int? Offset, IReadOnlyList<string>? Labels);

/// <summary>A search result; image URLs are set when the item's image is stored (raw datasets).</summary>
public sealed record SearchHit(string ItemId, double Score, IReadOnlyList<string> Labels, string? ImageUrl, string? Text,
    string? ThumbnailUrl = null, int? Row = null);

public sealed record SearchResponse(IReadOnlyList<SearchHit> Hits, int Total);

public static class SearchEndpoints
{
    public const int MaxK = 1000;

    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SearchIndexCache>();
        builder.Services.AddSingleton<QueryModels>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs/{id:int}/search").WithTags("Search");
        group.MapPost("/", Search).ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status409Conflict);
        group.MapPost("/image", SearchByImage).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data").Produces<SearchResponse>()
            .ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    /// <summary>
    /// By free text (raw datasets with a text encoder; target defaults to image) or by an item of the dataset (target defaults
    /// to text: the item's image queries the texts, the cross-modal direction a user browsing images expects).
    /// </summary>
    /// <summary>A run whose files were deleted or damaged on the server is a clear 409, not a bare 500.</summary>
    private static async Task<(SearchIndex? Index, IResult? Problem)> LoadIndex(int id, SearchIndexCache cache)
    {
        try
        {
            return (await cache.Get(id), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DatasetValidationException)
        {
            return (null, Problems.Conflict("id", $"The files of run {id} are missing or damaged on the server, so it cannot be searched; train it again."));
        }
    }

    private static async Task<IResult> Search(int id, SearchRequest request, IDbContextFactory<SemiCmrDb> dbFactory, SearchIndexCache cache,
        QueryModels queryModels, AppPaths paths, CancellationToken cancellationToken)
    {
        var (run, problem) = await SucceededRun(id, dbFactory, cancellationToken);
        if (problem is not null) return problem;

        bool byText = !string.IsNullOrWhiteSpace(request.Text);
        string target = request.Target ?? (byText ? "image" : "text");
        var errors = new Dictionary<string, string[]>();
        if (!byText && string.IsNullOrWhiteSpace(request.ItemId)) errors["itemId"] = ["Give an itemId or a text to search with."];
        if (byText && request.Text!.Length > 2000) errors["text"] = ["The text is longer than 2000 characters."];
        if (target is not ("image" or "text")) errors["target"] = ["target must be image or text."];
        ValidatePage(request.K, request.Offset, errors);
        if (errors.Count > 0) return Problems.Fields(errors);

        var (index, missing) = await LoadIndex(id, cache);
        if (index is null) return missing!;
        if (LabelFilter(index, request.Labels, out var filter) is { } badLabels) return badLabels;
        int k = request.K ?? 10, offset = request.Offset ?? 0;
        bool targetImages = target == "image";

        if (!byText)
        {
            if (index.RowOf(request.ItemId!) is not { } row) return Problems.NotFound("itemId", $"Item '{Problems.Echo(request.ItemId)}'");
            var (hits, total) = index.Search(row, targetImages, k, offset, filter);
            return TypedResults.Ok(Response(index, run!.DatasetId, hits, total));
        }

        var (features, whyNot) = queryModels.EncodeText(run!.DatasetId, request.Text!.Trim());
        if (features is null) return Problems.Field("text", whyNot!);
        var embedding = queryModels.Embed(id, paths.Run(id), features, isImage: false);
        var (textHits, textTotal) = index.Search(embedding, targetImages, k, offset, filter);
        return TypedResults.Ok(Response(index, run.DatasetId, textHits, textTotal));
    }

    /// <summary>Multipart: file (an image, size-limited), optional target (default text), k, offset, labels (comma-separated).</summary>
    private static async Task<IResult> SearchByImage(int id, HttpRequest request, IDbContextFactory<SemiCmrDb> dbFactory, SearchIndexCache cache,
        QueryModels queryModels, AppPaths paths, IOptions<SearchOptions> options, CancellationToken cancellationToken)
    {
        var (run, problem) = await SucceededRun(id, dbFactory, cancellationToken);
        if (problem is not null) return problem;

        long limit = options.Value.MaxQueryImageBytes;
        string tooLarge = $"The image is larger than Search:MaxQueryImageBytes ({limit} bytes).";
        if (request.ContentLength > limit + 64 * 1024) return Problems.Field("file", StatusCodes.Status413PayloadTooLarge, tooLarge);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit + 64 * 1024;
        if (!request.HasFormContentType) return Problems.Field("file", "Send multipart/form-data with the image in the field 'file'.");

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit + 64 * 1024 }, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? Problems.Field("file", StatusCodes.Status413PayloadTooLarge, tooLarge)
                : Problems.Field("file", $"The multipart form could not be read: {e.Message}");
        }

        var errors = new Dictionary<string, string[]>();
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0) errors["file"] = ["An image file is required in the field 'file'."];
        else if (file.Length > limit) return Problems.Field("file", StatusCodes.Status413PayloadTooLarge, tooLarge);
        string target = form["target"].FirstOrDefault() is { Length: > 0 } t ? t : "text";
        if (target is not ("image" or "text")) errors["target"] = ["target must be image or text."];
        int? k = ParseInt(form, "k", errors), offset = ParseInt(form, "offset", errors);
        ValidatePage(k, offset, errors);
        if (errors.Count > 0) return Problems.Fields(errors);

        var (index, missing) = await LoadIndex(id, cache);
        if (index is null) return missing!;
        var labels = form["labels"].SelectMany(l => (l ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (LabelFilter(index, labels, out var filter) is { } badLabels) return badLabels;

        float[]? features;
        string? whyNot;
        try
        {
            await using var stream = file!.OpenReadStream();
            (features, whyNot) = queryModels.EncodeImage(run!.DatasetId, stream);
        }
        catch (ImageRejectedException e)
        {
            return Problems.Field("file", e.Message);
        }
        if (features is null) return Problems.Field("file", whyNot!);
        var embedding = queryModels.Embed(id, paths.Run(id), features, isImage: true);
        var (hits, total) = index.Search(embedding, target == "image", k ?? 10, offset ?? 0, filter);
        return TypedResults.Ok(Response(index, run.DatasetId, hits, total));
    }

    private static SearchResponse Response(SearchIndex index, int datasetId, IReadOnlyList<(int Row, float Score)> hits, int total) =>
        new(hits.Select(hit =>
        {
            var item = index.Items[hit.Row];
            return new SearchHit(item.Id, hit.Score, item.Labels.Select(l => index.Classes[l]).ToList(),
                item.HasImage ? DatasetItemEndpoints.ImageUrl(datasetId, hit.Row) : null, item.Text,
                item.HasImage ? DatasetItemEndpoints.ThumbnailUrl(datasetId, hit.Row) : null, hit.Row);
        }).ToList(), total);

    private static void ValidatePage(int? k, int? offset, Dictionary<string, string[]> errors)
    {
        if (k is { } kk && kk is < 1 or > MaxK) errors["k"] = [$"k must be between 1 and {MaxK}."];
        if (offset is < 0) errors["offset"] = ["offset must be 0 or more."];
    }

    private static int? ParseInt(IFormCollection form, string field, Dictionary<string, string[]> errors)
    {
        if (form[field].FirstOrDefault() is not { Length: > 0 } value) return null;
        if (int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out int parsed)) return parsed;
        errors[field] = [$"{field} must be a whole number."];
        return null;
    }

    private static IResult? LabelFilter(SearchIndex index, IReadOnlyList<string>? labels, out HashSet<int>? filter)
    {
        filter = null;
        if (labels is not { Count: > 0 }) return null;
        var unknown = labels.Where(l => !index.Classes.Contains(l)).ToList();
        if (unknown.Count > 0) return Problems.Field("labels", $"Unknown label(s): {Problems.List(unknown, 5)}. Known: {Problems.List(index.Classes, 20)}.");
        filter = labels.Select(l => index.Classes.ToList().IndexOf(l)).ToHashSet();
        return null;
    }

    private static async Task<(Run? Run, IResult? Problem)> SucceededRun(int id, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return (null, Problems.NotFound("id", $"Run {id}"));
        if (run.Status != RunStatus.Succeeded)
            return (run, Problems.Conflict("id", $"Run {id} is {RunProgressEvent.Name(run.Status)}: only a succeeded run can be searched."));
        return (run, null);
    }
}
