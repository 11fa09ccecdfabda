namespace SemiCmr.Web.Api;

/// <summary>RFC 7807 responses that name the offending field, so clients can show the message next to it.</summary>
public static class Problems
{
    /// <summary>The one place where a <see cref="ProblemKind"/> becomes a status code (answers and the OpenAPI document alike).</summary>
    public static int Status(ProblemKind kind) => kind switch
    {
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.Conflict => StatusCodes.Status409Conflict,
        ProblemKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ProblemKind.Failed => StatusCodes.Status500InternalServerError,
        ProblemKind.Busy => StatusCodes.Status503ServiceUnavailable,
        ProblemKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>A refusal as a validation problem: errors by field, every message in the detail.</summary>
    public static IResult From(ServiceProblem problem) =>
        Results.ValidationProblem(problem.Errors.ToDictionary(), detail: problem.Message, statusCode: Status(problem.Kind),
            title: problem.Kind switch
            {
                ProblemKind.NotFound => "Not found",
                ProblemKind.Conflict => "Conflict",
                ProblemKind.TooLarge => "Too large",
                ProblemKind.Failed => "The server could not do it",
                ProblemKind.Busy => "The server is busy",
                ProblemKind.Forbidden => "Not yours",
                _ => "The request is invalid",
            });

    public const int EchoLength = 80;

    /// <summary>The first <paramref name="shown"/> values, echoed, then "and N more".</summary>
    public static string List(IReadOnlyCollection<string> values, int shown) =>
        string.Join(", ", values.Take(shown).Select(Echo)) + (values.Count > shown ? $" and {values.Count - shown} more" : "");

    /// <summary>
    /// A user's value as it may be quoted back in a message: at most <see cref="EchoLength"/> characters, control
    /// characters shown as '?', so a 5 MB field costs a few bytes in the answer, not 10 MB.
    /// </summary>
    public static string Echo(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var shown = value.Length > EchoLength ? value[..EchoLength] + "…" : value;
        return string.Create(shown.Length, shown, (span, source) =>
        {
            for (int i = 0; i < span.Length; i++) span[i] = char.IsControl(source[i]) ? '?' : source[i];
        });
    }
}
