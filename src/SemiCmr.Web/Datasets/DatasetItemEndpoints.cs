using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using SemiCmr.Web.Api;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// A dataset's items for galleries and search hits: a paged, filtered list and single items (both from
/// <see cref="ItemQueries"/>, which the pages use too) and the stored image files. Files are found from the item row
/// in SQLite, never from a path in the request.
/// </summary>
public static class DatasetItemEndpoints
{
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

    private static async Task<Answer<Ok<ItemPage>, Refused.Invalid, Refused.NotFound>> List(int id, ItemQueries items, CancellationToken cancellationToken,
        int? offset = null, int? limit = null, string? split = null, string? label = null, bool? labeled = null, int? budgetId = null) =>
        (await items.List(id, new ItemListRequest(offset, limit, split, label, labeled, budgetId), cancellationToken)).Map(TypedResults.Ok);

    private static async Task<Answer<Ok<ItemDetails>, Refused.NotFound>> Get(int id, int row, ItemQueries items, CancellationToken cancellationToken) =>
        (await items.Get(id, row, cancellationToken)).Map(TypedResults.Ok);

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
