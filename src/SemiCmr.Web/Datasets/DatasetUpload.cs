using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SemiCmr.Web.Api;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// POST /api/datasets: a multipart form (name, textEncoder?, file = .zip of any import layout) read section by section, the zip
/// streamed straight to data/uploads so a large upload never sits in memory.
/// </summary>
public static class DatasetUpload
{
    // Room for the multipart boundaries and the small text fields around the file.
    private const long FormOverhead = 64 * 1024;

    /// <summary>The longest name or textEncoder field read; a longer one is refused without reading the rest.</summary>
    public const int MaxTextFieldLength = 1024;

    public static async Task<Answer<Accepted<CreatedResponse>, Refused.Invalid, Refused.TooLarge, Refused.Failed>> Handle(
        HttpRequest request, AppPaths paths, IOptions<ImportOptions> import,
        IDbContextFactory<SemiCmrDb> dbFactory, ImportQueue queue, ILoggerFactory loggers, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        long limit = import.Value.MaxUploadBytes;
        string tooLarge = $"The upload is larger than Import:MaxUploadBytes ({limit} bytes).";
        if (request.ContentLength > limit + FormOverhead) return TooLarge(tooLarge);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit + FormOverhead;

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
            return ServiceProblem.Invalid("file", "Send multipart/form-data with the fields name, file (.zip) and optionally textEncoder.");

        string zip = Path.Combine(paths.Uploads, Guid.NewGuid().ToString("N") + ".zip");
        if (!CanStore(paths.Uploads, zip, loggers))
            return ServiceProblem.Field(ProblemKind.Failed, "file",
                "The server cannot store uploads: its uploads folder is not writable. Nothing was stored; please tell the administrator.");
        bool queued = false;
        try
        {
            string? name = null, textEncoder = null;
            bool hasFile = false;
            var reader = new MultipartReader(boundary, request.Body);
            try
            {
                while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
                {
                    if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                    switch (HeaderUtilities.RemoveQuotes(disposition.Name).Value)
                    {
                        case "file" when disposition.IsFileDisposition():
                            hasFile = true;
                            if (!await CopyLimited(section.Body, zip, limit, cancellationToken))
                                return TooLarge(tooLarge);
                            break;
                        case "name":
                            name = await ReadTextField(section.Body, cancellationToken);
                            if (name is null) return TextFieldTooLong("name");
                            break;
                        case "textEncoder":
                            textEncoder = await ReadTextField(section.Body, cancellationToken);
                            if (textEncoder is null) return TextFieldTooLong("textEncoder");
                            break;
                    }
                }
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge(tooLarge);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException)
            {
                return ServiceProblem.Invalid("file", $"The multipart form could not be read: {UserMessages.Clean(e.Message)}");
            }

            if (DatasetEndpoints.ValidateCommon(name, textEncoder) is { } invalid) return invalid;
            if (!hasFile) return ServiceProblem.Invalid("file", $"A .zip file with a dataset is required: {SourceFiles.Layouts}.");
            var (prefix, problems) = SourceFiles.CheckZip(zip, import.Value);
            if (problems.Count > 0) return ServiceProblem.Invalid("file", [.. problems]);

            int id = await DatasetEndpoints.CreateImporting(dbFactory, name!, "zip", null, textEncoder, Actor.From(user), queue.Lease, cancellationToken);
            queue.Enqueue(new ImportJob(id, ZipFile: zip, ZipPrefix: prefix, TextEncoder: textEncoder));
            queued = true;
            return TypedResults.Accepted($"/api/datasets/{id}", new CreatedResponse(id));
        }
        finally
        {
            if (!queued) File.Delete(zip);
        }
    }

    /// <summary>
    /// Creates the (empty) upload file before the body is read, so a data folder that cannot take it is a clear
    /// problem for the user (and the reason, with the path, for the administrator's log), not a bare 500 halfway.
    /// </summary>
    private static bool CanStore(string folder, string file, ILoggerFactory loggers)
    {
        try
        {
            Directory.CreateDirectory(folder);
            File.Create(file).Dispose();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            loggers.CreateLogger(typeof(DatasetUpload)).LogError(e, "Uploads cannot be stored in {Folder}", folder);
            return false;
        }
    }

    /// <summary>The field's text, or null (having stopped reading) when it is longer than <see cref="MaxTextFieldLength"/>.</summary>
    private static async Task<string?> ReadTextField(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, leaveOpen: true);
        var buffer = new char[MaxTextFieldLength + 1];
        int length = 0, read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            length += read;
        return length > MaxTextFieldLength ? null : new string(buffer, 0, length);
    }

    private static ServiceProblem TextFieldTooLong(string field) =>
        ServiceProblem.Invalid(field, $"The {field} field is longer than {MaxTextFieldLength} characters.");

    private static ServiceProblem TooLarge(string message) => ServiceProblem.Field(ProblemKind.TooLarge, "file", message);

    /// <summary>Copies at most <paramref name="limit"/> bytes; false (and stops reading) when the body is larger.</summary>
    private static async Task<bool> CopyLimited(Stream body, string path, long limit, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit) return false;
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return true;
    }
}
