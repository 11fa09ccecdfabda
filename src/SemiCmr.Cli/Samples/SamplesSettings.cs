using System.ComponentModel;
using SemiCmr.Ml.Samples;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Samples;

public sealed class SamplesSettings : CommandSettings
{
    [CommandOption("--out <DIR>", isRequired: true)]
    [Description("Folder to write the samples to; must be new or empty.")]
    public string Out { get; set; } = "";

    [CommandOption("--seed <S>")]
    [Description("Seed of everything generated: the same seed writes the same files.")]
    [DefaultValue(1)]
    public int Seed { get; set; } = 1;

    [CommandOption("--scenes <N>")]
    [Description("Rendered scenes in each raw layout (manifest, captions, wikipedia).")]
    [DefaultValue(RawSamples.DefaultScenes)]
    public int Scenes { get; set; } = RawSamples.DefaultScenes;

    [CommandOption("--feature-items <N>")]
    [Description("Items of the single-label feature dataset, 90 % train and 10 % test (e.g. 1000000 for a collection-sized one); by default 2000 train and 700 test, like the Wikipedia dataset.")]
    public int? FeatureItems { get; set; }

    public override ValidationResult Validate()
    {
        if (FeatureItems is < 20 or > FeatureSampleSpec.MaxItems)
            return ValidationResult.Error($"--feature-items must be between 20 and {FeatureSampleSpec.MaxItems}, got {FeatureItems}.");
        return Scenes is >= RawSamples.MinimumScenes and <= 100_000
            ? ValidationResult.Success()
            : ValidationResult.Error($"--scenes must be between {RawSamples.MinimumScenes} and 100000, got {Scenes}.");
    }
}
