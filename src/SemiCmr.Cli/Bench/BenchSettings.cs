using System.ComponentModel;
using System.Globalization;
using SemiCmr.Cli.Common;
using SemiCmr.Ml.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Bench;

public sealed class BenchSettings : DeviceSettings
{
    [CommandOption("--data <DIR>", isRequired: true)]
    [Description("Feature dataset folder: items.csv, image_features.npy, text_features.npy.")]
    public string Data { get; set; } = "";

    [CommandOption("--methods <LIST>")]
    [Description("Comma-separated methods: sscmr, supervised, full, cca.")]
    [DefaultValue("sscmr,supervised,full,cca")]
    public string Methods { get; set; } = "sscmr,supervised,full,cca";

    [CommandOption("--ratios <LIST>")]
    [Description("Comma-separated label ratios (0 < R <= 1) for sscmr and supervised. full and cca use every training pair, run once per seed and are reported with ratio 1.")]
    [DefaultValue("0.05,0.1")]
    public string Ratios { get; set; } = "0.05,0.1";

    [CommandOption("--seeds <LIST>")]
    [Description("Comma-separated seeds; every method and ratio runs once per seed.")]
    [DefaultValue("1,2,3")]
    public string Seeds { get; set; } = "1,2,3";

    [CommandOption("--json <FILE>")]
    [Description("Write every run as a JSON array of {method, ratio, seed, mapI2T, mapT2I, stage1Accuracy, labeled, secondsStage1, secondsStage2}; rewritten after each run.")]
    public string? Json { get; set; }

    public IReadOnlyList<Method> ParsedMethods => Split(Methods).Select(MethodNames.Parse).Distinct().ToList();

    public IReadOnlyList<double> ParsedRatios => Split(Ratios).Select(r =>
        double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 1
            ? value
            : throw new ArgumentException($"--ratios: '{r}' is not a ratio in (0, 1].")).Distinct().ToList();

    public IReadOnlyList<int> ParsedSeeds => Split(Seeds).Select(s =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--seeds: '{s}' is not a whole number.")).Distinct().ToList();

    public override ValidationResult Validate()
    {
        var device = base.Validate();
        if (!device.Successful) return device;
        try
        {
            if (ParsedMethods.Count == 0) return ValidationResult.Error("--methods lists no method.");
            if (ParsedSeeds.Count == 0) return ValidationResult.Error("--seeds lists no seed.");
            if (ParsedRatios.Count == 0 && ParsedMethods.Any(m => m is Method.Sscmr or Method.Supervised))
                return ValidationResult.Error("--ratios lists no ratio, and sscmr and supervised need one.");
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }

    private static string[] Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
