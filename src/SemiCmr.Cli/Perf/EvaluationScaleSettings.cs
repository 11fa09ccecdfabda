using System.ComponentModel;
using SemiCmr.Ml.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

public sealed class EvaluationScaleSettings : CommandSettings
{
    [CommandOption("--items <N>")]
    [Description("Test items (each one image and one text embedding); every item queries in both directions.")]
    [DefaultValue(100_000)]
    public int Items { get; set; } = 100_000;

    [CommandOption("--dims <N>")]
    [Description("Dimensions of the common space.")]
    [DefaultValue(128)]
    public int Dims { get; set; } = 128;

    [CommandOption("--classes <N>")]
    [Description("Classes the items cluster around.")]
    [DefaultValue(10)]
    public int Classes { get; set; } = 10;

    [CommandOption("--multi-label")]
    [Description("Give each item one to three labels instead of one.")]
    public bool MultiLabel { get; set; }

    [CommandOption("--seed <N>")]
    [Description("Seed of the generated embeddings.")]
    [DefaultValue(1)]
    public int Seed { get; set; } = 1;

    [CommandOption("--max-queries <N>")]
    [Description("Queries ranked at most per direction (a seeded sample above that).")]
    [DefaultValue(EvaluationOptions.DefaultMaxQueries)]
    public int MaxQueries { get; set; } = EvaluationOptions.DefaultMaxQueries;

    public override ValidationResult Validate()
    {
        if (MaxQueries < 1) return ValidationResult.Error($"--max-queries must be 1 or more, got {MaxQueries}.");
        if (Items < 2) return ValidationResult.Error($"--items must be 2 or more, got {Items}.");
        if (Dims < 1) return ValidationResult.Error($"--dims must be 1 or more, got {Dims}.");
        return Classes < 1 ? ValidationResult.Error($"--classes must be 1 or more, got {Classes}.") : ValidationResult.Success();
    }
}
