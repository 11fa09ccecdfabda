namespace SemiCmr.Cli.Common;

/// <summary>Something the user can fix (a path, a value, the device); reported without a stack trace, exit code 2.</summary>
public sealed class UserInputException(string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    public IReadOnlyList<string> Details { get; } = details ?? [];
}
