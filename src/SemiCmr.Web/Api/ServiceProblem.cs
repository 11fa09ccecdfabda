namespace SemiCmr.Web.Api;

/// <summary>
/// What kind of refusal a service answers with; the API turns it into a status code in one place (<see cref="Problems.Status"/>).
/// Failed: the server could not do it (files locked or unreadable), Busy: try again later, Forbidden: the user may not
/// change it (another user's dataset or run).
/// </summary>
public enum ProblemKind { Invalid, NotFound, Conflict, TooLarge, Failed, Busy, Forbidden }

/// <summary>
/// Why a service refused a request, field by field, in words a user can act on. Services return it (they never
/// throw HTTP status codes); endpoints answer it as RFC 7807 problem details, pages show <see cref="Message"/>.
/// </summary>
public sealed record ServiceProblem(ProblemKind Kind, IReadOnlyDictionary<string, string[]> Errors)
{
    public static ServiceProblem Field(ProblemKind kind, string field, params string[] messages) => new(kind, new Dictionary<string, string[]> { [field] = messages });

    public static ServiceProblem Invalid(string field, params string[] messages) => Field(ProblemKind.Invalid, field, messages);

    public static ServiceProblem NotFound(string field, string what) => Field(ProblemKind.NotFound, field, $"{what} was not found.");

    public static ServiceProblem Conflict(string field, string message) => Field(ProblemKind.Conflict, field, message);

    /// <summary>Every message, in field order, as one sentence for a page.</summary>
    public string Message => string.Join(" ", Errors.SelectMany(e => e.Value));
}

/// <summary>A service's answer: the value, or the problem that stopped it.</summary>
public sealed class Outcome<T>
{
    private Outcome(T? value, ServiceProblem? problem) => (Value, Problem) = (value, problem);

    public T? Value { get; }
    public ServiceProblem? Problem { get; }

    /// <summary>The value made into something else (an endpoint's typed result), or the same problem.</summary>
    public Outcome<TResult> Map<TResult>(Func<T, TResult> map) => Problem is { } problem ? problem : map(Value!);

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(ServiceProblem problem) => new(default, problem);
}
