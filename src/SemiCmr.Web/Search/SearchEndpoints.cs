using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Search;

public sealed record SearchRequest(string? Text, string? ItemId, string? Target, int? K, int? Offset, IReadOnlyList<string>? Labels);

public sealed record SearchHit(string ItemId, double Score, IReadOnlyList<string> Labels, string? ImageUrl, string? Text);

public sealed record SearchResponse(IReadOnlyList<SearchHit> Hits, int Total);

public static class SearchEndpoints
{
    public const int MaxK = 1000;

    private const string NoEncoder =
        "This dataset has no text encoder: free-text search needs a raw image-text dataset (features-only datasets can be searched by itemId).";

    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SearchIndexCache>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs/{id:int}/search").WithTags("Search");
        group.MapPost("/", Search).ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status409Conflict);
        group.MapPost("/image", SearchByImage).DisableAntiforgery().ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> Search(int id, SearchRequest request, IDbContextFactory<SemiCmrDb> dbFactory, SearchIndexCache cache,
        CancellationToken cancellationToken)
    {
        if (await SucceededRun(id, dbFactory, cancellationToken) is { } problem) return problem;

        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(request.Text)) errors["text"] = [NoEncoder];
        else if (string.IsNullOrWhiteSpace(request.ItemId)) errors["itemId"] = ["Give an itemId (or text, for datasets with a text encoder)."];
        if (request.Target is not ("image" or "text")) errors["target"] = ["target must be image or text."];
        int k = request.K ?? 10, offset = request.Offset ?? 0;
        if (k is < 1 or > MaxK) errors["k"] = [$"k must be between 1 and {MaxK}."];
        if (offset < 0) errors["offset"] = ["offset must be 0 or more."];
        if (errors.Count > 0) return Problems.Fields(errors);

        var index = await cache.Get(id);
        HashSet<int>? filter = null;
        if (request.Labels is { Count: > 0 } labels)
        {
            var unknown = labels.Where(l => !index.Classes.Contains(l)).ToList();
            if (unknown.Count > 0) return Problems.Field("labels", $"Unknown label(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", index.Classes)}.");
            filter = labels.Select(l => index.Classes.ToList().IndexOf(l)).ToHashSet();
        }
        if (index.RowOf(request.ItemId!) is not { } row) return Problems.NotFound("itemId", $"Item '{request.ItemId}'");

        var (hits, total) = index.Search(row, request.Target == "image", k, offset, filter);
        return TypedResults.Ok(new SearchResponse(hits.Select(hit =>
        {
            var item = index.Items[hit.Row];
            return new SearchHit(item.Id, hit.Score, item.Labels.Select(l => index.Classes[l]).ToList(), null, item.Text);
        }).ToList(), total));
    }

    private static async Task<IResult> SearchByImage(int id, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken) =>
        await SucceededRun(id, dbFactory, cancellationToken)
        ?? Problems.Field("file", "This dataset has no image encoder: searching with an image file needs a raw image-text dataset.");

    private static async Task<IResult?> SucceededRun(int id, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var status = await db.Runs.Where(r => r.Id == id).Select(r => (RunStatus?)r.Status).FirstOrDefaultAsync(cancellationToken);
        if (status is null) return Problems.NotFound("id", $"Run {id}");
        if (status != RunStatus.Succeeded)
            return Problems.Conflict("id", $"Run {id} is {RunProgressEvent.Name(status.Value)}: only a succeeded run can be searched.");
        return null;
    }
}
