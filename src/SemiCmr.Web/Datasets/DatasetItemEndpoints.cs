using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using SemiCmr.Ml.Data;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// A dataset's items for galleries and search hits: a paged, filtered list and the stored image files.
/// Files are found from the item row in SQLite, never from a path in the request.
/// </summary>
public static class DatasetItemEndpoints
{
    public const int MaxLimit = 500;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static string ImageUrl(int datasetId, int row) => string.Create(CultureInfo.InvariantCulture, $"/api/datasets/{datasetId}/items/{row}/image");

    public static string ThumbnailUrl(int datasetId, int row) => string.Create(CultureInfo.InvariantCulture, $"/api/datasets/{datasetId}/items/{row}/thumbnail");

    /// <summary>Where an item's thumbnail is stored in its dataset folder (written by the importer).</summary>
    public static string ThumbnailFile(int row) => Path.Combine("thumbnails", row.ToString(CultureInfo.InvariantCulture) + ".jpg");

    public static RouteGroupBuilder MapDatasetItems(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:int}/items", List);
        group.MapGet("/{id:int}/items/{row:int}", Get);
        // A file result says nothing of itself to OpenAPI: its 200 is declared here.
        group.MapGet("/{id:int}/items/{row:int}/image", (int id, int row, HttpContext http, IDbContextFactory<SemiCmrDb> db, AppPaths paths, CancellationToken ct) =>
            ServeFile(id, row, thumbnail: false, http, db, paths, ct)).Produces(StatusCodes.Status200OK, null, "image/jpeg", "image/png", "image/webp", "application/octet-stream");
        group.MapGet("/{id:int}/items/{row:int}/thumbnail", (int id, int row, HttpContext http, IDbContextFactory<SemiCmrDb> db, AppPaths paths, CancellationToken ct) =>
            ServeFile(id, row, thumbnail: true, http, db, paths, ct)).Produces(StatusCodes.Status200OK, contentType: "image/jpeg");
        return group;
    }

    private static async Task<Answer<Ok<ItemPage>, Refused.Invalid, Refused.NotFound>> List(int id, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken,
        int? offset = null, int? limit = null, string? split = null, string? label = null, bool? labeled = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataset is null) return ServiceProblem.NotFound("id", $"Dataset {id}");

        var errors = new Dictionary<string, string[]>();
        int skip = offset ?? 0, take = limit ?? 50;
        if (skip < 0) errors["offset"] = ["offset must be 0 or more."];
        if (take is < 1 or > MaxLimit) errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        Split? splitFilter = null;
        if (!string.IsNullOrEmpty(split))
        {
            if (Enum.TryParse<Split>(split, ignoreCase: true, out var parsed) && !int.TryParse(split, out _)) splitFilter = parsed;
            else errors["split"] = [$"Unknown split '{split}': use train, val or test."];
        }
        int labelIndex = -1;
        if (!string.IsNullOrEmpty(label) && (labelIndex = dataset.Classes.IndexOf(label)) < 0)
            errors["label"] = [$"Unknown label '{label}'. Known: {string.Join(", ", dataset.Classes)}."];
        if (errors.Count > 0) return new ServiceProblem(ProblemKind.Invalid, errors);

        var items = db.Items.AsNoTracking().Where(i => i.DatasetId == id);
        if (splitFilter is { } s) items = items.Where(i => i.Split == s);
        if (labelIndex >= 0) items = items.Where(i => i.Labels.Contains(labelIndex));
        if (labeled is { } wanted) items = wanted ? items.Where(i => i.Labels.Count > 0) : items.Where(i => i.Labels.Count == 0);

        int total = await items.CountAsync(cancellationToken);
        // Only the start of each text leaves the database: a page of 500 long texts would otherwise be read whole.
        var page = await items.OrderBy(i => i.Row).Skip(skip).Take(take)
            .Select(i => new { i.Row, i.ExternalId, i.Split, i.Labels, i.ImagePath, Text = i.Text == null ? null : i.Text.Substring(0, TextExcerpt.ReadLength) })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ItemPage(page.Select(i => new ItemSummary(
            i.Row, i.ExternalId, i.Split, i.Labels.Select(l => dataset.Classes[l]).ToList(), TextExcerpt.Of(i.Text),
            i.ImagePath is null ? null : ThumbnailUrl(id, i.Row), i.ImagePath is null ? null : ImageUrl(id, i.Row))).ToList(), total, skip, take));
    }

    private static async Task<Answer<Ok<ItemDetails>, Refused.NotFound>> Get(int id, int row, IDbContextFactory<SemiCmrDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var classes = await db.Datasets.AsNoTracking().Where(d => d.Id == id).Select(d => d.Classes).FirstOrDefaultAsync(cancellationToken);
        if (classes is null) return ServiceProblem.NotFound("id", $"Dataset {id}");
        var item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.DatasetId == id && i.Row == row, cancellationToken);
        if (item is null) return ServiceProblem.NotFound("row", $"Item {row} in dataset {id}");
        return TypedResults.Ok(new ItemDetails(item.Row, item.ExternalId, item.Split, item.Labels.Select(l => classes[l]).ToList(), item.Text,
            item.ImagePath is null ? null : ThumbnailUrl(id, item.Row), item.ImagePath is null ? null : ImageUrl(id, item.Row)));
    }

    private static async Task<Answer<PhysicalFileHttpResult, Refused.NotFound>> ServeFile(int id, int row, bool thumbnail, HttpContext http,
        IDbContextFactory<SemiCmrDb> dbFactory, AppPaths paths, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.Items.AsNoTracking().Where(i => i.DatasetId == id && i.Row == row)
            .Select(i => new { i.ImagePath }).FirstOrDefaultAsync(cancellationToken);
        if (item?.ImagePath is null) return ServiceProblem.NotFound("row", $"An image of item {row} in dataset {id}");

        string folder = Path.GetFullPath(paths.Dataset(id)) + Path.DirectorySeparatorChar;
        string path = Path.GetFullPath(Path.Combine(folder, thumbnail ? ThumbnailFile(row) : item.ImagePath));
        // The stored path comes from our own importer; still, never serve anything outside the dataset folder.
        if (!path.StartsWith(folder, StringComparison.Ordinal) || !File.Exists(path))
            return ServiceProblem.NotFound("row", $"The {(thumbnail ? "thumbnail" : "image")} file of item {row} in dataset {id}");

        var info = new FileInfo(path);
        if (!ContentTypes.TryGetContentType(path, out var contentType)) contentType = "application/octet-stream";
        var tag = new EntityTagHeaderValue(string.Create(CultureInfo.InvariantCulture, $"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\""));
        // Files of a dataset never change and ids are not reused (AUTOINCREMENT), so an hour of caching is safe;
        // the ETag makes the revalidation after it cheap.
        http.Response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.PhysicalFile(path, contentType, lastModified: info.LastWriteTimeUtc, entityTag: tag);
    }
}
