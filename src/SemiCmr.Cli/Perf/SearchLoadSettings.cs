using System.ComponentModel;
using SemiCmr.Cli.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

public sealed class SearchLoadSettings : ServerSettings
{
    [CommandOption("--run <ID>")]
    [Description("The succeeded run to search; by default the latest succeeded run.")]
    public int? Run { get; set; }

    [CommandOption("--import <FOLDER>")]
    [Description("A folder on the server, below Import:AllowedRoots, imported while searches are measured; the dataset is deleted afterwards. Without it, only idle searches are measured.")]
    public string? Import { get; set; }

    [CommandOption("--text-encoder <KIND>")]
    [Description("Text encoder of the import: minilm or tfidf.")]
    [DefaultValue("minilm")]
    public string TextEncoder { get; set; } = "minilm";

    [CommandOption("--by <KIND>")]
    [Description("What the searches query with: text (the dataset's item texts, encoded per query; falls back to item when the dataset has no text encoder) or item (an item's stored embedding: no encoding).")]
    [DefaultValue("text")]
    public string By { get; set; } = "text";

    [CommandOption("--label <CLASS>")]
    [Description("Searches carry this label filter (hits must carry the class); repeat for any of several.")]
    public string[] Labels { get; set; } = [];

    [CommandOption("--clients <N>")]
    [Description("Searches sent at once in each burst.")]
    [DefaultValue(50)]
    public int Clients { get; set; } = 50;

    [CommandOption("--pause <MS>")]
    [Description("Milliseconds between the end of one burst and the start of the next.")]
    [DefaultValue(250)]
    public int PauseMilliseconds { get; set; } = 250;

    [CommandOption("--idle <SECONDS>")]
    [Description("Seconds of searches measured before the import starts.")]
    [DefaultValue(10)]
    public int IdleSeconds { get; set; } = 10;

    [CommandOption("--timeout <SECONDS>")]
    [Description("Gives up when the import has not finished after this long.")]
    [DefaultValue(1800)]
    public int TimeoutSeconds { get; set; } = 1800;

    public override ValidationResult Validate()
    {
        if (ValidateServer() is { } badServer) return badServer;
        if (Clients is < 1 or > 1000) return ValidationResult.Error($"--clients must be between 1 and 1000, got {Clients}.");
        if (PauseMilliseconds is < 0 or > 60_000) return ValidationResult.Error($"--pause must be between 0 and 60000, got {PauseMilliseconds}.");
        if (IdleSeconds is < 1 or > 3600) return ValidationResult.Error($"--idle must be between 1 and 3600, got {IdleSeconds}.");
        if (TimeoutSeconds < 1) return ValidationResult.Error($"--timeout must be 1 or more, got {TimeoutSeconds}.");
        if (By.ToLowerInvariant() is not ("text" or "item")) return ValidationResult.Error($"--by must be text or item, got '{By}'.");
        return TextEncoder.ToLowerInvariant() is "minilm" or "tfidf"
            ? ValidationResult.Success()
            : ValidationResult.Error($"--text-encoder must be minilm or tfidf, got '{TextEncoder}'.");
    }
}
