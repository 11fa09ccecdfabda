namespace SemiCmr.Web.Api;

/// <summary>A kind of refusal named in an endpoint's return type (<see cref="Answer{TSuccess, TRefusal}"/>).</summary>
public interface IRefusal
{
    static abstract ProblemKind Kind { get; }
}

/// <summary>The refusals an endpoint can declare; each is answered as a validation problem with errors by field.</summary>
public static class Refused
{
    public sealed class Invalid : IRefusal { private Invalid() { } public static ProblemKind Kind => ProblemKind.Invalid; }

    public sealed class NotFound : IRefusal { private NotFound() { } public static ProblemKind Kind => ProblemKind.NotFound; }

    public sealed class Conflict : IRefusal { private Conflict() { } public static ProblemKind Kind => ProblemKind.Conflict; }

    public sealed class TooLarge : IRefusal { private TooLarge() { } public static ProblemKind Kind => ProblemKind.TooLarge; }

    public sealed class Failed : IRefusal { private Failed() { } public static ProblemKind Kind => ProblemKind.Failed; }

    public sealed class Busy : IRefusal { private Busy() { } public static ProblemKind Kind => ProblemKind.Busy; }

    public sealed class Forbidden : IRefusal { private Forbidden() { } public static ProblemKind Kind => ProblemKind.Forbidden; }
}
