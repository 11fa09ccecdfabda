using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Common;

/// <summary>Maps exceptions to exit codes: 2 for input the user can fix, 130 when cancelled, 1 for bugs.</summary>
public static class ErrorHandler
{
    public const int InvalidInput = 2;
    public const int Cancelled = 130;
    public const int Failure = 1;

    public static int Handle(Exception exception, IAnsiConsole console)
    {
        switch (exception)
        {
            case UserInputException user:
                console.MarkupLine($"[red]Error:[/] {user.Message.EscapeMarkup()}");
                foreach (var detail in user.Details) console.MarkupLine($"  [red]-[/] {detail.EscapeMarkup()}");
                return InvalidInput;
            case CommandAppException { Pretty: not null } parse:
                console.Write(parse.Pretty);
                return InvalidInput;
            case CommandAppException app:
                // Settings validation failures and unknown commands/options land here.
                console.MarkupLine($"[red]Error:[/] {app.Message.EscapeMarkup()}");
                return InvalidInput;
            case OperationCanceledException:
                console.MarkupLine("[yellow]Cancelled.[/]");
                return Cancelled;
            default:
                console.MarkupLine("[red]Unexpected error (please report it):[/]");
                console.WriteException(exception, ExceptionFormats.ShortenEverything);
                return Failure;
        }
    }
}
