using System.ComponentModel;
using SemiCmr.Cli.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Search;

public sealed class SearchSettings : ServerSettings
{
    [CommandOption("--run <ID>")]
    [Description("The succeeded run to search; by default the latest succeeded run.")]
    public int? Run { get; set; }

    [CommandOption("--text <TEXT>")]
    [Description("Search with free text (datasets imported with a text encoder).")]
    public string? Text { get; set; }

    [CommandOption("--item <ID>")]
    [Description("Search with an item of the run's dataset, by its item id (\"more like this\").")]
    public string? Item { get; set; }

    [CommandOption("--image <FILE>")]
    [Description("Search with an image file (datasets imported from raw photos).")]
    public string? Image { get; set; }

    [CommandOption("--target <MODALITY>")]
    [Description("What to rank: image or text. By default a text finds images, an image or an item finds texts.")]
    public string? Target { get; set; }

    [CommandOption("--label <CLASS>")]
    [Description("Only hits carrying this class; repeat for any of several.")]
    public string[] Labels { get; set; } = [];

    [CommandOption("-k <N>")]
    [Description("Hits to show (the server allows up to 1000).")]
    [DefaultValue(10)]
    public int K { get; set; } = 10;

    [CommandOption("--offset <N>")]
    [Description("Hits to skip (the next page).")]
    [DefaultValue(0)]
    public int Offset { get; set; }

    [CommandOption("--json")]
    [Description("Print the server's answer as JSON instead of a table.")]
    public bool Json { get; set; }

    public override ValidationResult Validate()
    {
        int queries = new[] { Text, Item, Image }.Count(q => !string.IsNullOrWhiteSpace(q));
        if (queries != 1) return ValidationResult.Error("Give exactly one of --text, --item or --image.");
        // k, offset, target and labels are checked by the server, the one place those rules live.
        if (ValidateServer() is { } badServer) return badServer;
        return ValidationResult.Success();
    }
}
