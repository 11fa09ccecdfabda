namespace SemiCmr.Web.Api;

/// <summary>RFC 7807 responses that name the offending field, so clients can show the message next to it.</summary>
public static class Problems
{
    public static IResult Field(string field, params string[] messages) => Field(field, StatusCodes.Status400BadRequest, messages);

    public static IResult Field(string field, int status, params string[] messages) =>
        Fields(new Dictionary<string, string[]> { [field] = messages }, status);

    public static IResult Fields(IDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest) =>
        Results.ValidationProblem(errors, detail: string.Join(" ", errors.SelectMany(e => e.Value)), statusCode: status,
            title: status switch
            {
                StatusCodes.Status404NotFound => "Not found",
                StatusCodes.Status409Conflict => "Conflict",
                StatusCodes.Status413PayloadTooLarge => "Too large",
                _ => "The request is invalid",
            });

    /// <summary>A service's refusal as problem details: the one place where a <see cref="ProblemKind"/> becomes a status code.</summary>
    public static IResult From(ServiceProblem problem) => Fields(problem.Errors.ToDictionary(), problem.Kind switch
    {
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.Conflict => StatusCodes.Status409Conflict,
        ProblemKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    });

    /// <summary>The value as 200 OK, or the problem.</summary>
    public static IResult Ok<T>(Outcome<T> outcome) => outcome.Problem is { } problem ? From(problem) : TypedResults.Ok(outcome.Value);

    public static IResult NotFound(string field, string what) => Field(field, StatusCodes.Status404NotFound, $"{what} was not found.");

    public static IResult Conflict(string field, string message) => Field(field, StatusCodes.Status409Conflict, message);

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
