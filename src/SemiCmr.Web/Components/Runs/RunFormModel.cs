using SemiCmr.Ml.Training;
using SemiCmr.Web.RunReports;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Components.Runs;

public enum RunPreset { Quick, Default, Thorough }

/// <summary>
/// State and validation of the new-run form. Messages come from the same rules the API applies
/// (TrainingOptions.Validate and the ratio check), keyed like the API's problem fields ("labelRatio", "options.alpha").
/// </summary>
public sealed class RunFormModel
{
    public static readonly IReadOnlyList<(Method Method, string Explanation)> Methods =
    [
        (Method.Sscmr, "Semi-supervised: stage 1 predicts labels for the unlabeled pairs, stage 2 learns the common space from all of them."),
        (Method.Supervised, "Stage 2 on the labeled items only: what the budget alone gives."),
        (Method.Full, "Stage 2 with every true training label: the ceiling (ignores the budget)."),
        (Method.Cca, "Linear CCA on all training pairs, no labels: the classic baseline (ignores the budget)."),
    ];

    private static readonly TrainingOption Stage1Epochs = TrainingOptionCatalog.Find(nameof(TrainingOptions.Stage1Epochs));
    private static readonly TrainingOption Stage2Epochs = TrainingOptionCatalog.Find(nameof(TrainingOptions.Stage2Epochs));

    /// <summary>What a preset changes from the defaults, by option key.</summary>
    public static IReadOnlyDictionary<string, double> PresetValues(RunPreset preset) => preset switch
    {
        RunPreset.Quick => new Dictionary<string, double> { [Stage1Epochs.Key] = 5, [Stage2Epochs.Key] = 5 },
        RunPreset.Thorough => new Dictionary<string, double> { [Stage1Epochs.Key] = Stage1Epochs.Default * 2, [Stage2Epochs.Key] = Stage2Epochs.Default * 2 },
        _ => new Dictionary<string, double>(),
    };

    public int? DatasetId { get; set; }
    /// <summary>An existing budget of the dataset, or null to draw one from <see cref="Ratio"/> and <see cref="Seed"/>.</summary>
    public int? BudgetId { get; set; }
    public double? Ratio { get; set; } = 0.1;
    public int Seed { get; set; }
    /// <summary>Changing it clears the server's complaint about the dataset: a dataset without training labels still takes cca.</summary>
    public Method Method
    {
        get => method;
        set
        {
            method = value;
            ServerErrors.Remove("datasetId");
        }
    }

    private Method method = Method.Sscmr;
    public RunPreset? Preset { get; private set; } = RunPreset.Default;
    /// <summary>The value typed for every training option, by option key (null while the field is empty).</summary>
    public Dictionary<string, double?> Options { get; } = TrainingOptionCatalog.All.ToDictionary(o => o.Key, o => (double?)o.Default);

    /// <summary>Messages from the server's last answer, shown until the field changes.</summary>
    public Dictionary<string, string> ServerErrors { get; } = [];

    public void ApplyPreset(RunPreset preset)
    {
        var values = PresetValues(preset);
        foreach (var option in TrainingOptionCatalog.All) Options[option.Key] = values.TryGetValue(option.Key, out var value) ? value : option.Default;
        Preset = preset;
        ServerErrors.Clear();
    }

    public void SetOption(string key, double? value)
    {
        Options[key] = value;
        Preset = null;
        // Any option can bring the run within the server's size limits, and those errors name several options.
        foreach (var field in ServerErrors.Keys.Where(k => k.StartsWith("options.", StringComparison.Ordinal)).ToList()) ServerErrors.Remove(field);
    }

    /// <summary>Field key -> message for everything the form can check before sending.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (DatasetId is null) errors["datasetId"] = "Choose a ready dataset.";
        if (BudgetId is null && !(Ratio is > 0 and <= 1)) errors["labelRatio"] = "The label ratio must be in (0, 1], e.g. 0.1 for 10%.";
        foreach (var option in TrainingOptionCatalog.All)
        {
            var value = Options[option.Key];
            if (value is null) errors[RunCreator.OptionKey(option)] = $"{option.Label} is required (default {TrainingOption.Text(option.Default)}).";
            else if (option.IsInteger && value != Math.Floor(value.Value)) errors[RunCreator.OptionKey(option)] = $"{option.Label} must be a whole number.";
        }
        if (errors.Keys.Any(k => k.StartsWith("options.", StringComparison.Ordinal))) return Merge(errors);
        foreach (var (option, problem) in ToOptions().Validate()) errors[RunCreator.OptionKey(option)] = $"{option.Label} {problem}";
        return Merge(errors);
    }

    public string? ErrorFor(string key) => Validate().TryGetValue(key, out var message) ? message : null;

    public TrainingOptions ToOptions() =>
        TrainingOptionCatalog.All.Aggregate(TrainingOptions.Default, (options, option) => option.With(options, Options[option.Key] ?? option.Default));

    public CreateRunRequest ToRequest() =>
        new(DatasetId, Method.ToName(), BudgetId is null ? Ratio : null, Seed, BudgetId, ToOptions());

    private Dictionary<string, string> Merge(Dictionary<string, string> errors)
    {
        foreach (var (key, message) in ServerErrors) errors.TryAdd(key, message);
        return errors;
    }
}
