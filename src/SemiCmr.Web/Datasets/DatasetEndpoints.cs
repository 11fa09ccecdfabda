using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Datasets;

public static class DatasetEndpoints
{
    public static IEndpointRouteBuilder MapDatasets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/datasets").WithTags("Datasets");
        group.MapPost("/", DatasetUpload.Handle).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<CreatedResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapPost("/from-folder", FromFolder)
            .Produces<CreatedResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem();
        group.MapGet("/", List);
        group.MapGet("/{id:int}", Get).ProducesValidationProblem(StatusCodes.Status404NotFound);
        group.MapDatasetItems();
        group.MapDelete("/{id:int}", Delete).ProducesValidationProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status500InternalServerError);
        return app;
    }

    private const int MaxPathLength = 4096;
    private static readonly char[] ControlCharacters = Enumerable.Range(0, 32).Select(c => (char)c).Append((char)127).ToArray();

    private static async Task<IResult> FromFolder(
        FolderImportRequest request, AppPaths paths, IHostEnvironment environment,
        IDbContextFactory<SemiCmrDb> dbFactory, ImportQueue queue, CancellationToken cancellationToken)
    {
        if (ValidateCommon(request.Name, request.TextEncoder) is { } invalid) return invalid;
        if (string.IsNullOrWhiteSpace(request.Path)) return Problems.Field("path", "A folder path is required.");
        if (request.Path.Length > MaxPathLength) return Problems.Field("path", $"The path is longer than {MaxPathLength} characters.");
        if (request.Path.IndexOfAny(ControlCharacters) is >= 0 and int at)
            return Problems.Field("path", $"The path contains a control character (such as NUL) at position {at + 1}.");

        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.Path, environment.ContentRootPath));
        // Say where the rule comes from, never where the allowed folders are on this server.
        if (!paths.IsAllowedImportPath(folder))
            return Problems.Field("path", $"'{Problems.Echo(request.Path)}' is outside the allowed import folders (the setting Import:AllowedRoots).");
        if (!Directory.Exists(folder)) return Problems.Field("path", $"The folder '{Problems.Echo(request.Path)}' does not exist.");
        var problems = SourceFiles.CheckFolder(folder);
        if (problems.Count > 0) return Problems.Field("path", [.. problems]);

        int id = await CreateImporting(dbFactory, request.Name!, "folder", folder, request.TextEncoder, cancellationToken);
        queue.Enqueue(new ImportJob(id, Folder: folder, TextEncoder: request.TextEncoder));
        return TypedResults.Accepted($"/api/datasets/{id}", new CreatedResponse(id));
    }

    internal static IResult? ValidateCommon(string? name, string? textEncoder)
    {
        if (string.IsNullOrWhiteSpace(name)) return Problems.Field("name", "A dataset name is required.");
        if (name.Length > 200) return Problems.Field("name", "The name is longer than 200 characters.");
        if (textEncoder is not (null or "" or "minilm" or "tfidf"))
            return Problems.Field("textEncoder", $"Unknown text encoder '{Problems.Echo(textEncoder)}': use minilm or tfidf.");
        return null;
    }

    internal static async Task<int> CreateImporting(
        IDbContextFactory<SemiCmrDb> dbFactory, string name, string source, string? sourcePath, string? textEncoder, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = new Dataset
        {
            Name = name.Trim(), Source = source, SourcePath = sourcePath, Status = DatasetStatus.Importing,
            TextEncoder = string.IsNullOrEmpty(textEncoder) ? "minilm" : textEncoder, CreatedAt = DateTime.UtcNow,
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(cancellationToken);
        return dataset.Id;
    }

    private static async Task<IResult> List(IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var datasets = await db.Datasets.AsNoTracking().OrderBy(d => d.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(datasets.Select(d => DatasetResponse.From(d)).ToList());
    }

    private static async Task<IResult> Get(int id, IDbContextFactory<SemiCmrDb> dbFactory, DatasetStats stats, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataset is null) return Problems.NotFound("id", $"Dataset {id}");
        return TypedResults.Ok(DatasetResponse.From(dataset, await stats.Splits(id, cancellationToken)));
    }

    private static async Task<IResult> Delete(int id, DatasetRemover remover, CancellationToken cancellationToken) =>
        await remover.Remove(id, cancellationToken) switch
        {
            DatasetRemover.Outcome.NotFound => Problems.NotFound("id", $"Dataset {id}"),
            DatasetRemover.Outcome.Importing => Problems.Conflict("id", $"Dataset {id} is still importing; delete it when the import has finished."),
            DatasetRemover.Outcome.RunInProgress => Problems.Conflict("id", $"Dataset {id} has a running run; cancel it first. Nothing was deleted."),
            DatasetRemover.Outcome.FilesInUse => Problems.Field("id", StatusCodes.Status500InternalServerError,
                $"The files of dataset {id} could not be moved aside for deletion (see the server log); nothing was deleted. Try again."),
            _ => TypedResults.NoContent(),
        };
}
