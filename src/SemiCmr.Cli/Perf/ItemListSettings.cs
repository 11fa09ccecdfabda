using System.ComponentModel;
using SemiCmr.Cli.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

public sealed class ItemListSettings : ServerSettings
{
    [CommandOption("--dataset <ID>")]
    [Description("The ready dataset whose items are listed; by default the one with the most items.")]
    public int? Dataset { get; set; }

    [CommandOption("--budget <ID>")]
    [Description("A label budget of the dataset: also measures the items labeled and unlabeled in it (the dataset page's State filter).")]
    public int? Budget { get; set; }

    [CommandOption("--rounds <N>")]
    [Description("Times each page is requested (after one request that is not counted).")]
    [DefaultValue(5)]
    public int Rounds { get; set; } = 5;

    [CommandOption("--limit <N>")]
    [Description("Items per page.")]
    [DefaultValue(50)]
    public int Limit { get; set; } = 50;

    public override ValidationResult Validate()
    {
        if (ValidateServer() is { } badServer) return badServer;
        if (Rounds is < 1 or > 1000) return ValidationResult.Error($"--rounds must be between 1 and 1000, got {Rounds}.");
        return Limit is >= 1 and <= 500 ? ValidationResult.Success() : ValidationResult.Error($"--limit must be between 1 and 500, got {Limit}.");
    }
}
