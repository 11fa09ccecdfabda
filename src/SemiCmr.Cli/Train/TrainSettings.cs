using System.ComponentModel;
using SemiCmr.Cli.Common;
using SemiCmr.Ml.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Train;

public sealed class TrainSettings : DeviceSettings
{
    [CommandOption("--data <DIR>", isRequired: true)]
    [Description("Feature dataset folder: items.csv, image_features.npy, text_features.npy.")]
    public string Data { get; set; } = "";

    [CommandOption("--method <METHOD>")]
    [Description("sscmr (two-stage semi-supervised), supervised (stage 2 on the labeled items only), full (stage 2 with every true label) or cca (linear CCA).")]
    [DefaultValue("sscmr")]
    public string Method { get; set; } = "sscmr";

    [CommandOption("--label-ratio <R>")]
    [Description("Share of the labeled training items whose labels are shown (0 < R <= 1), stratified by class. Ignored by full and cca, which use every training pair.")]
    public double? LabelRatio { get; set; }

    [CommandOption("--label-count <N>")]
    [Description("Number of labeled training items whose labels are shown, instead of --label-ratio. Ignored by full and cca.")]
    public int? LabelCount { get; set; }

    [CommandOption("--seed <S>")]
    [Description("Seed of the label budget and of training; the same seed on CPU gives the same result.")]
    [DefaultValue(1)]
    public int Seed { get; set; } = 1;

    [CommandOption("--out <DIR>", isRequired: true)]
    [Description("Run folder to write (created when missing): model.json, weights, embeddings, predictions.")]
    public string Out { get; set; } = "";

    public Method ParsedMethod => MethodNames.Parse(Method);

    public override ValidationResult Validate()
    {
        var device = base.Validate();
        if (!device.Successful) return device;
        Method method;
        try
        {
            method = ParsedMethod;
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
        if (LabelRatio is not null && LabelCount is not null)
            return ValidationResult.Error("Give either --label-ratio or --label-count, not both.");
        if (LabelRatio is { } r && (r <= 0 || r > 1))
            return ValidationResult.Error($"--label-ratio must be in (0, 1], got {r}.");
        if (LabelCount is < 1)
            return ValidationResult.Error("--label-count must be at least 1.");
        if (method is Ml.Training.Method.Sscmr or Ml.Training.Method.Supervised && LabelRatio is null && LabelCount is null)
            return ValidationResult.Error($"--method {method.ToName()} needs a label budget: --label-ratio R or --label-count N.");
        return ValidationResult.Success();
    }
}
