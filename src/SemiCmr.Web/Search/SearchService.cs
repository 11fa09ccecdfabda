using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SemiCmr.Ml.Data;
using SemiCmr.Ml.Features;
using SemiCmr.Web.Api;
using SemiCmr.Web.Caching;
using SemiCmr.Web.Data;
using SemiCmr.Web.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;

namespace SemiCmr.Web.Search;

/// <summary>
/// The one way to search a run, for the REST API and the search page alike: checks the query, ranks through the
/// run's cached index (leased for the whole search, so eviction cannot close it mid-query; on PostgreSQL the ranking is
/// pgvector's, <see cref="IRunIndex"/>), and reads the returned
/// rows' text, labels and URLs from the database (so a label edited a moment ago shows). Encoding and embedding run
/// off the caller's thread, a few at a time.
/// </summary>
public sealed class SearchService(IDbContextFactory<SemiCmrDb> dbFactory, SearchIndexes indexes, QueryModels queryModels,
    IOptions<SearchOptions> options)
{
    public const int MaxK = 1000;
    public const int MaxTextLength = 2000;

    // Encoders and models serialise their callers; waiting here asynchronously keeps a burst of queries from
    // blocking one thread-pool thread each.
    private readonly SemaphoreSlim encoding = new(Environment.ProcessorCount);

    public async Task<Outcome<SearchResponse>> Search(int runId, SearchSpec spec, CancellationToken cancellationToken)
    {
        if (Validate(spec) is { } invalid) return invalid;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One round trip for the run and its dataset's classes (read fresh: an edit shows at once).
        var found = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { Run = r, r.Dataset!.Classes }).FirstOrDefaultAsync(cancellationToken);
        if (found is null) return ServiceProblem.NotFound("id", $"Run {runId}");
        var (run, classes) = (found.Run, found.Classes);
        if (run.Status != RunStatus.Succeeded)
            return ServiceProblem.Conflict("id", $"Run {runId} is {RunProgressEvent.Name(run.Status)}: only a succeeded run can be searched.");

        IRunIndex index;
        IDisposable lease;
        try
        {
            (index, lease) = await indexes.LeaseForSearch(runId, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DatasetValidationException)
        {
            return ServiceProblem.Conflict("id", $"The vectors of run {runId} are missing or damaged on the server, so it cannot be searched; train it again.");
        }
        using var held = lease;
        if (LabelFilter(classes, spec.Labels, out var filter) is { } badLabels) return badLabels;

        (IReadOnlyList<(int Row, float Score)> Hits, int Total) ranked;
        if (spec.Query is SearchQuery.ByItem item)
        {
            if (await index.RowOf(item.ItemId.Trim(), cancellationToken) is not { } row) return ServiceProblem.NotFound("itemId", $"Item '{Problems.Echo(item.ItemId)}'");
            ranked = await index.Search(row, spec.TargetImages, spec.K, spec.Offset, filter, cancellationToken);
        }
        else
        {
            var embedded = await Embed(run, spec.Query, cancellationToken);
            if (embedded.Problem is { } problem) return problem;
            ranked = await index.Search(embedded.Value!, spec.TargetImages, spec.K, spec.Offset, filter, cancellationToken);
        }
        return new SearchResponse(await SearchHits.Read(db, run.DatasetId, classes, ranked.Hits, cancellationToken), ranked.Total);
    }

    /// <summary>What is wrong with the query and page themselves, before any run is read (null: nothing).</summary>
    public ServiceProblem? Validate(SearchSpec spec)
    {
        var errors = new Dictionary<string, string[]>();
        switch (spec.Query)
        {
            case SearchQuery.ByText text when string.IsNullOrWhiteSpace(text.Text):
                errors["text"] = ["Give a text to search with."];
                break;
            case SearchQuery.ByItem item when string.IsNullOrWhiteSpace(item.ItemId):
                errors["itemId"] = ["Give an itemId or a text to search with."];
                break;
            case SearchQuery.ByText { Text.Length: > MaxTextLength }:
                errors["text"] = [$"The text is longer than {MaxTextLength} characters."];
                break;
            case SearchQuery.ByImage { Image.Length: 0 }:
                errors["file"] = ["An image file is required in the field 'file'."];
                break;
            case SearchQuery.ByImage image when image.Image.LongLength > options.Value.MaxQueryImageBytes:
                return ServiceProblem.Field(ProblemKind.TooLarge, "file", $"The image is larger than Search:MaxQueryImageBytes ({options.Value.MaxQueryImageBytes} bytes).");
        }
        if (spec.K is < 1 or > MaxK) errors["k"] = [$"k must be between 1 and {MaxK}."];
        if (spec.Offset < 0) errors["offset"] = ["offset must be 0 or more."];
        return errors.Count > 0 ? new ServiceProblem(ProblemKind.Invalid, errors) : null;
    }

    /// <summary>Unknown labels are a problem naming them (never silently ignored); none means any label.</summary>
    private static ServiceProblem? LabelFilter(IReadOnlyList<string> classes, IReadOnlyList<string>? labels, out HashSet<int>? filter)
    {
        filter = null;
        if (labels is not { Count: > 0 }) return null;
        var unknown = labels.Where(l => !classes.Contains(l)).ToList();
        if (unknown.Count > 0) return ServiceProblem.Invalid("labels", $"Unknown label(s): {Problems.List(unknown, 5)}. Known: {Problems.List(classes.ToList(), 20)}.");
        filter = labels.Select(l => classes.ToList().IndexOf(l)).ToHashSet();
        return null;
    }

    private async Task<Outcome<float[]>> Embed(Run run, SearchQuery query, CancellationToken cancellationToken)
    {
        await encoding.WaitAsync(cancellationToken);
        try
        {
            // Encoders and models run on the CPU for a while: never on a request's or a circuit's thread.
            return await Task.Run(() => EmbedNow(run, query, cancellationToken), cancellationToken);
        }
        finally
        {
            encoding.Release();
        }
    }

    private async Task<Outcome<float[]>> EmbedNow(Run run, SearchQuery query, CancellationToken cancellationToken)
    {
        bool isImage = query is SearchQuery.ByImage;
        float[]? features;
        string? whyNot;
        try
        {
            (features, whyNot) = query switch
            {
                SearchQuery.ByText text => await queryModels.EncodeText(run.DatasetId, text.Text.Trim(), cancellationToken),
                SearchQuery.ByImage image => await queryModels.EncodeImage(run.DatasetId, new MemoryStream(image.Image, writable: false), cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(query)),
            };
        }
        catch (ImageRejectedException e)
        {
            return ServiceProblem.Invalid("file", e.Message);
        }
        if (features is null) return ServiceProblem.Invalid(isImage ? "file" : "text", whyNot!);
        return await queryModels.Embed(run.Id, run.DatasetId, features, isImage, cancellationToken);
    }
}
