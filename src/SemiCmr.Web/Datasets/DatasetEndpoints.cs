using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SemiCmr.Web.Api;
using SemiCmr.Web.Audit;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Protection;

namespace SemiCmr.Web.Datasets;

public static class DatasetEndpoints
{
    public static IEndpointRouteBuilder MapDatasets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/datasets").WithTags("Datasets").RequireAuthorization(Policies.ViewerOrAbove);
        // Routing answers a body that is not multipart with 415 before the handler runs: declared here, as no type says it.
        // No antiforgery token: the auth cookie is SameSite=Lax, so a cross-site form cannot post here as the user.
        group.MapPost("/", DatasetUpload.Handle).DisableAntiforgery().Accepts<IFormFile>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).RequireAuthorization(Policies.EditorOrAbove).LimitedBy(RateLimits.Imports);
        group.MapPost("/from-folder", FromFolder).RequireAuthorization(Policies.EditorOrAbove).LimitedBy(RateLimits.Imports);
        group.MapGet("/", List);
        group.MapGet("/{id:int}", Get);
        group.MapDatasetItems();
        // Editors delete their own datasets, admins any (DatasetRemover asks Actor.MayChange).
        group.MapDelete("/{id:int}", Delete).RequireAuthorization(Policies.EditorOrAbove);
        return app;
    }

    private const int MaxPathLength = 4096;
    private static readonly char[] ControlCharacters = Enumerable.Range(0, 32).Select(c => (char)c).Append((char)127).ToArray();

    private static async Task<Answer<Accepted<CreatedResponse>, Refused.Invalid>> FromFolder(
        FolderImportRequest request, AppPaths paths, IHostEnvironment environment,
        IDbContextFactory<SemiCmrDb> dbFactory, ImportQueue queue, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (ValidateCommon(request.Name, request.TextEncoder) is { } invalid) return invalid;
        if (string.IsNullOrWhiteSpace(request.Path)) return ServiceProblem.Invalid("path", "A folder path is required.");
        if (request.Path.Length > MaxPathLength) return ServiceProblem.Invalid("path", $"The path is longer than {MaxPathLength} characters.");
        if (request.Path.IndexOfAny(ControlCharacters) is >= 0 and int at)
            return ServiceProblem.Invalid("path", $"The path contains a control character (such as NUL) at position {at + 1}.");

        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.Path, environment.ContentRootPath));
        // Say where the rule comes from, never where the allowed folders are on this server.
        if (!paths.IsAllowedImportPath(folder))
            return ServiceProblem.Invalid("path", $"'{Problems.Echo(request.Path)}' is outside the allowed import folders (the setting Import:AllowedRoots).");
        if (!Directory.Exists(folder)) return ServiceProblem.Invalid("path", $"The folder '{Problems.Echo(request.Path)}' does not exist.");
        var problems = SourceFiles.CheckFolder(folder);
        if (problems.Count > 0) return ServiceProblem.Invalid("path", [.. problems]);

        int id = await CreateImporting(dbFactory, request.Name!, "folder", folder, request.TextEncoder, Actor.From(user), queue.Lease, cancellationToken);
        queue.Enqueue(new ImportJob(id, Folder: folder, TextEncoder: request.TextEncoder));
        return TypedResults.Accepted($"/api/datasets/{id}", new CreatedResponse(id));
    }

    internal static ServiceProblem? ValidateCommon(string? name, string? textEncoder)
    {
        if (string.IsNullOrWhiteSpace(name)) return ServiceProblem.Invalid("name", "A dataset name is required.");
        if (name.Length > 200) return ServiceProblem.Invalid("name", "The name is longer than 200 characters.");
        if (textEncoder is not (null or "" or "minilm" or "tfidf"))
            return ServiceProblem.Invalid("textEncoder", $"Unknown text encoder '{Problems.Echo(textEncoder)}': use minilm or tfidf.");
        return null;
    }

    /// <summary>
    /// The one place a dataset row is created (uploads, folder imports, the demo): importing, owned by <paramref name="actor"/>,
    /// with its audit entry in the same transaction. On PostgreSQL the row starts with its import lease (<paramref name="importLease"/>
    /// from the database's clock), so no instance ever sees an import nobody holds; the caller queues it on its own
    /// <see cref="ImportQueue"/>, which renews it.
    /// </summary>
    internal static async Task<int> CreateImporting(
        IDbContextFactory<SemiCmrDb> dbFactory, string name, string source, string? sourcePath, string? textEncoder, Actor actor,
        TimeSpan importLease, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = new Dataset
        {
            Name = name.Trim(), Source = source, SourcePath = sourcePath, Status = DatasetStatus.Importing,
            TextEncoder = string.IsNullOrEmpty(textEncoder) ? "minilm" : textEncoder, CreatedAt = DateTime.UtcNow, CreatedBy = actor.UserId,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(cancellationToken);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlAsync(
                $"""UPDATE "Datasets" SET "ImportLeaseExpiresAt" = now() + {importLease} WHERE "Id" = {dataset.Id}""", cancellationToken);
        AuditLog.Add(db, actor, AuditSubject.Dataset, AuditAction.Created, dataset.Id, dataset.Name,
            source switch { "zip" => "from an uploaded zip", "folder" => "from a server folder", "demo" => "the demo dataset", _ => source });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return dataset.Id;
    }

    /// <summary>Newest first, as the datasets page lists them (<see cref="DatasetQueries.List"/>); ?status= narrows to one status.</summary>
    private static async Task<Answer<Ok<List<DatasetResponse>>, Refused.Invalid>> List(string? status, DatasetQueries datasets, CancellationToken cancellationToken)
    {
        var filter = DatasetFilter.Parse(status);
        if (filter.Problem is { } problem) return problem;
        var listed = await datasets.List(filter.Value!, cancellationToken);
        return TypedResults.Ok(listed.Select(d => DatasetResponse.From(d)).ToList());
    }

    private static async Task<Answer<Ok<DatasetResponse>, Refused.NotFound>> Get(int id, DatasetQueries datasets, DatasetStats stats,
        CancellationToken cancellationToken)
    {
        var found = await datasets.Get(id, cancellationToken);
        if (found.Problem is { } problem) return problem;
        return TypedResults.Ok(DatasetResponse.From(found.Value!, await stats.Splits(id, cancellationToken)));
    }

    private static async Task<Answer<NoContent, Refused.NotFound, Refused.Conflict, Refused.Failed, Refused.Forbidden>> Delete(
        int id, DatasetRemover remover, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await remover.Remove(id, Actor.From(user), cancellationToken) is { } problem ? problem : TypedResults.NoContent();
}
