using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace SemiCmr.Web.Api;

/// <summary>
/// An endpoint's typed answer: its success result, or a <see cref="ServiceProblem"/> of one of the kinds its type
/// names. The type declares each of them to OpenAPI, so the document is inferred from the endpoint, never written
/// beside it. A problem of a kind the type does not name is still answered with its own status (never a 500);
/// OpenApiContractTests catches the missing declaration.
/// </summary>
public abstract class Answer : IResult, INestedHttpResult
{
    private protected Answer(IResult result) => Result = result;

    public IResult Result { get; }

    public Task ExecuteAsync(HttpContext httpContext) => Result.ExecuteAsync(httpContext);

    private protected static void Declare<TSuccess>(MethodInfo method, EndpointBuilder builder, params ProblemKind[] kinds)
    {
        // What the success result says of itself (Ok<T>: 200 and T's schema; a file says nothing: its endpoint does).
        if (typeof(TSuccess).IsAssignableTo(typeof(IEndpointMetadataProvider)))
            PopulateFromSuccess.MakeGenericMethod(typeof(TSuccess)).Invoke(null, [method, builder]);
        foreach (var kind in kinds)
            builder.Metadata.Add(new ProducesResponseTypeMetadata(Problems.Status(kind), typeof(HttpValidationProblemDetails), ["application/problem+json"]));
    }

    private static readonly MethodInfo PopulateFromSuccess = typeof(Answer).GetMethod(nameof(Populate), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void Populate<T>(MethodInfo method, EndpointBuilder builder) where T : IEndpointMetadataProvider => T.PopulateMetadata(method, builder);
}

public sealed class Answer<TSuccess, TRefusal> : Answer, IEndpointMetadataProvider
    where TSuccess : IResult where TRefusal : IRefusal
{
    private Answer(IResult result) : base(result) { }

    public static implicit operator Answer<TSuccess, TRefusal>(TSuccess success) => new(success);

    public static implicit operator Answer<TSuccess, TRefusal>(ServiceProblem problem) => new(Problems.From(problem));

    public static implicit operator Answer<TSuccess, TRefusal>(Outcome<TSuccess> outcome) =>
        new(outcome.Problem is { } problem ? Problems.From(problem) : outcome.Value!);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare<TSuccess>(method, builder, TRefusal.Kind);
}

public sealed class Answer<TSuccess, TRefusal1, TRefusal2> : Answer, IEndpointMetadataProvider
    where TSuccess : IResult where TRefusal1 : IRefusal where TRefusal2 : IRefusal
{
    private Answer(IResult result) : base(result) { }

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2>(TSuccess success) => new(success);

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2>(ServiceProblem problem) => new(Problems.From(problem));

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2>(Outcome<TSuccess> outcome) =>
        new(outcome.Problem is { } problem ? Problems.From(problem) : outcome.Value!);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare<TSuccess>(method, builder, TRefusal1.Kind, TRefusal2.Kind);
}

public sealed class Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3> : Answer, IEndpointMetadataProvider
    where TSuccess : IResult where TRefusal1 : IRefusal where TRefusal2 : IRefusal where TRefusal3 : IRefusal
{
    private Answer(IResult result) : base(result) { }

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3>(TSuccess success) => new(success);

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3>(ServiceProblem problem) => new(Problems.From(problem));

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3>(Outcome<TSuccess> outcome) =>
        new(outcome.Problem is { } problem ? Problems.From(problem) : outcome.Value!);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare<TSuccess>(method, builder, TRefusal1.Kind, TRefusal2.Kind, TRefusal3.Kind);
}

public sealed class Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3, TRefusal4> : Answer, IEndpointMetadataProvider
    where TSuccess : IResult where TRefusal1 : IRefusal where TRefusal2 : IRefusal where TRefusal3 : IRefusal where TRefusal4 : IRefusal
{
    private Answer(IResult result) : base(result) { }

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3, TRefusal4>(TSuccess success) => new(success);

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3, TRefusal4>(ServiceProblem problem) => new(Problems.From(problem));

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3, TRefusal4>(Outcome<TSuccess> outcome) =>
        new(outcome.Problem is { } problem ? Problems.From(problem) : outcome.Value!);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare<TSuccess>(method, builder, TRefusal1.Kind, TRefusal2.Kind, TRefusal3.Kind, TRefusal4.Kind);
}

public sealed class Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3, TRefusal4, TRefusal5> : Answer, IEndpointMetadataProvider
    where TSuccess : IResult where TRefusal1 : IRefusal where TRefusal2 : IRefusal where TRefusal3 : IRefusal where TRefusal4 : IRefusal
    where TRefusal5 : IRefusal
{
    private Answer(IResult result) : base(result) { }

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3, TRefusal4, TRefusal5>(TSuccess success) => new(success);

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3, TRefusal4, TRefusal5>(ServiceProblem problem) => new(Problems.From(problem));

    public static implicit operator Answer<TSuccess, TRefusal1, TRefusal2, TRefusal3, TRefusal4, TRefusal5>(Outcome<TSuccess> outcome) =>
        new(outcome.Problem is { } problem ? Problems.From(problem) : outcome.Value!);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare<TSuccess>(method, builder, TRefusal1.Kind, TRefusal2.Kind, TRefusal3.Kind, TRefusal4.Kind, TRefusal5.Kind);
}
