using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using SemiCmr.Ml.Training;
using SemiCmr.Web.RunReports;
using SemiCmr.Web.Runs;

namespace SemiCmr.Web.Components.Runs;

/// <summary>One TrainingOptions property as the form shows it: label, help, range and default.</summary>
public sealed record OptionField(string Property, string Label, string Help, double Min, double Max, bool IsInteger, double Default, bool Advanced)
{
    public string Key => RunCreator.OptionKey(Property);

    public string DefaultText => IsInteger ? Default.ToString("0", CultureInfo.InvariantCulture) : Default.ToString("G4", CultureInfo.InvariantCulture);
}

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

    private static readonly Dictionary<string, (string Label, string Help)> Texts = new()
    {
        [nameof(TrainingOptions.Stage1Epochs)] = ("Stage-1 epochs", "Epochs of label prediction (sscmr only)."),
        [nameof(TrainingOptions.Stage2Epochs)] = ("Stage-2 epochs", "Epochs of common-space training."),
        [nameof(TrainingOptions.BatchSize)] = ("Batch size", "Pairs per training batch."),
        [nameof(TrainingOptions.LearningRate)] = ("Learning rate", "Adam learning rate of both stages."),
        [nameof(TrainingOptions.HiddenDim)] = ("Hidden width", "Width of the hidden layer of every branch and classifier."),
        [nameof(TrainingOptions.CommonDim)] = ("Common dimension", "Dimension of the common image-text space."),
        [nameof(TrainingOptions.Alpha)] = ("Alpha (J2)", "Weight of the pairwise label-similarity loss in the common space."),
        [nameof(TrainingOptions.Beta)] = ("Beta (J3)", "Weight of the modality-invariance loss between a pair's embeddings."),
        [nameof(TrainingOptions.Threshold)] = ("Threshold", "Multi-label stage 1: a class is predicted at this fused probability."),
        [nameof(TrainingOptions.ConsistencyWeight)] = ("Consistency weight", "Weight of the cross-modal agreement loss on unlabeled pairs."),
        [nameof(TrainingOptions.RampUpEpochs)] = ("Ramp-up epochs", "Epochs over which the consistency weight ramps up from 0."),
        [nameof(TrainingOptions.Dropout)] = ("Dropout", "Dropout before every hidden layer's output."),
        [nameof(TrainingOptions.WeightDecay)] = ("Weight decay", "Adam weight decay (L2)."),
        [nameof(TrainingOptions.Scale)] = ("Cosine scale", "Scale of the cosine inside J2."),
        [nameof(TrainingOptions.CcaRegularization)] = ("CCA ridge", "Ridge added to each covariance matrix of CCA, relative to its mean variance (regularization x trace / d)."),
    };

    private static readonly HashSet<string> Basic = [nameof(TrainingOptions.Stage1Epochs), nameof(TrainingOptions.Stage2Epochs), nameof(TrainingOptions.LearningRate), nameof(TrainingOptions.BatchSize)];

    /// <summary>Every settable TrainingOptions property, in declaration order.</summary>
    public static readonly IReadOnlyList<OptionField> Fields = typeof(TrainingOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.PropertyType is var t && (t == typeof(int) || t == typeof(double)))
        .OrderBy(p => p.MetadataToken)
        .Select(p =>
        {
            var range = p.GetCustomAttribute<RangeAttribute>();
            var (label, help) = Texts.TryGetValue(p.Name, out var text) ? text : (p.Name, "");
            return new OptionField(p.Name, label, help, Convert.ToDouble(range?.Minimum ?? double.MinValue, CultureInfo.InvariantCulture),
                Convert.ToDouble(range?.Maximum ?? double.MaxValue, CultureInfo.InvariantCulture), p.PropertyType == typeof(int),
                Convert.ToDouble(p.GetValue(TrainingOptions.Default), CultureInfo.InvariantCulture), !Basic.Contains(p.Name));
        }).ToList();

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
    public Dictionary<string, double?> Options { get; } = Fields.ToDictionary(f => f.Property, f => (double?)f.Default);

    /// <summary>Messages from the server's last answer, shown until the field changes.</summary>
    public Dictionary<string, string> ServerErrors { get; } = [];

    public void ApplyPreset(RunPreset preset)
    {
        foreach (var field in Fields) Options[field.Property] = field.Default;
        (Options[nameof(TrainingOptions.Stage1Epochs)], Options[nameof(TrainingOptions.Stage2Epochs)]) = preset switch
        {
            RunPreset.Quick => (5, 5),
            RunPreset.Thorough => (TrainingOptions.Default.Stage1Epochs * 2, TrainingOptions.Default.Stage2Epochs * 2),
            _ => ((double?)TrainingOptions.Default.Stage1Epochs, (double?)TrainingOptions.Default.Stage2Epochs),
        };
        Preset = preset;
        ServerErrors.Clear();
    }

    public void SetOption(string property, double? value)
    {
        Options[property] = value;
        Preset = null;
        // Any option can bring the run within the server's size limits, and those errors name several options.
        foreach (var key in ServerErrors.Keys.Where(k => k.StartsWith("options.", StringComparison.Ordinal)).ToList()) ServerErrors.Remove(key);
    }

    /// <summary>Field key -> message for everything the form can check before sending.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (DatasetId is null) errors["datasetId"] = "Choose a ready dataset.";
        if (BudgetId is null && !(Ratio is > 0 and <= 1)) errors["labelRatio"] = "The label ratio must be in (0, 1], e.g. 0.1 for 10%.";
        foreach (var field in Fields)
        {
            var value = Options[field.Property];
            if (value is null) errors[field.Key] = $"{field.Label} is required (default {field.DefaultText}).";
            else if (field.IsInteger && value != Math.Floor(value.Value)) errors[field.Key] = $"{field.Label} must be a whole number.";
        }
        if (errors.Keys.Any(k => k.StartsWith("options.", StringComparison.Ordinal))) return Merge(errors);
        foreach (var (option, message) in ToOptions().Validate()) errors[RunCreator.OptionKey(option)] = message;
        return Merge(errors);
    }

    public string? ErrorFor(string key) => Validate().TryGetValue(key, out var message) ? message : null;

    public TrainingOptions ToOptions()
    {
        var options = new TrainingOptions();
        foreach (var field in Fields)
        {
            var property = typeof(TrainingOptions).GetProperty(field.Property)!;
            double value = Options[field.Property] ?? field.Default;
            // Init-only setters are plain setters at run time; the record is not shared yet.
            property.SetValue(options, field.IsInteger ? (object)(int)Math.Clamp(Math.Round(value), int.MinValue, int.MaxValue) : value);
        }
        return options;
    }

    public CreateRunRequest ToRequest() =>
        new(DatasetId, Method.ToName(), BudgetId is null ? Ratio : null, Seed, BudgetId, ToOptions());

    private Dictionary<string, string> Merge(Dictionary<string, string> errors)
    {
        foreach (var (key, message) in ServerErrors) errors.TryAdd(key, message);
        return errors;
    }
}
