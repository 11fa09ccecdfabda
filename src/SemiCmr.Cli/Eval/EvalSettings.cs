using System.ComponentModel;
using System.Globalization;
using SemiCmr.Cli.Common;
using SemiCmr.Ml.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Eval;

public sealed class EvalSettings : DeviceSettings
{
    [CommandOption("--model <DIR>", isRequired: true)]
    [Description("Run folder written by `semicmr train` (holds model.json).")]
    public string Model { get; set; } = "";

    [CommandOption("--data <DIR>", isRequired: true)]
    [Description("Feature dataset folder; its test split is evaluated. Feature dimensions must match the model's.")]
    public string Data { get; set; } = "";

    [CommandOption("-r|--map-r <R>")]
    [Description("R of MAP@R: only the top R of each ranking count; 0 means the whole ranking (then MAP@R equals MAP@all).")]
    [DefaultValue(0)]
    public int R { get; set; }

    [CommandOption("-k|--precision-at <LIST>")]
    [Description("Comma-separated ranks K for precision@K.")]
    [KsDefault]
    public string Ks { get; set; } = "";

    public EvaluationOptions ToEvaluationOptions() => new(R, ParseKs());

    public override ValidationResult Validate()
    {
        var device = base.Validate();
        if (!device.Successful) return device;
        if (R < 0) return ValidationResult.Error("--map-r must be 0 (the whole ranking) or more.");
        try
        {
            _ = ParseKs();
        }
        catch (FormatException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }

    private int[] ParseKs()
    {
        var parts = Ks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0
            ? throw new FormatException("--precision-at needs at least one rank, e.g. --precision-at 1,5,10.")
            : parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1
                ? k
                : throw new FormatException($"--precision-at: '{p}' is not a rank (a whole number of 1 or more).")).ToArray();
    }

    /// <summary>Shows and applies the evaluator's own default ranks rather than a copy of them.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class KsDefaultAttribute() : DefaultValueAttribute((object?)null)
    {
        public override object? Value => string.Join(',', EvaluationOptions.DefaultKs);
    }
}
