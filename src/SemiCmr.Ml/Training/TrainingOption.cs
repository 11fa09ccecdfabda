using System.Globalization;
using System.Text.Json;

namespace SemiCmr.Ml.Training;

/// <summary>Where an option sits in the form and the help: stage 1, stage 2 or both stages.</summary>
public enum TrainingOptionGroup { StageOne, StageTwo, General }

/// <summary>
/// One <see cref="TrainingOptions"/> property as every surface shows it: the API's field (<see cref="Key"/>), the CLI's
/// flag, the form's label, one help text, the range and the default. Values travel as double; whole-number options
/// say so with <see cref="IsInteger"/>.
/// </summary>
public sealed class TrainingOption
{
    private readonly Func<TrainingOptions, double> _get;
    private readonly Func<TrainingOptions, double, TrainingOptions> _with;

    internal TrainingOption(string property, string label, string help, TrainingOptionGroup group, bool isBasic, bool isInteger,
        double min, double max, Func<TrainingOptions, double> get, Func<TrainingOptions, double, TrainingOptions> with)
    {
        (Property, Label, Help, Group, IsBasic, IsInteger, Min, Max, _get, _with) = (property, label, help, group, isBasic, isInteger, min, max, get, with);
        Key = JsonNamingPolicy.CamelCase.ConvertName(property);
        Flag = "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(property);
    }

    /// <summary>The TrainingOptions property, e.g. Stage1Epochs.</summary>
    public string Property { get; }

    /// <summary>The JSON name in `options` of POST /api/runs and in model.json, e.g. stage1Epochs.</summary>
    public string Key { get; }

    /// <summary>The flag of `semicmr train` and `bench`, e.g. --stage1-epochs.</summary>
    public string Flag { get; }

    public string Label { get; }
    public string Help { get; }
    public TrainingOptionGroup Group { get; }

    /// <summary>Shown up front in the form; the others sit under "Advanced options".</summary>
    public bool IsBasic { get; }

    public bool IsInteger { get; }
    public double Min { get; }
    public double Max { get; }

    /// <summary>The default is the property's initializer, so it is written once, in TrainingOptions.</summary>
    public double Default => _get(TrainingOptions.Default);

    public double Get(TrainingOptions options) => _get(options);

    /// <summary>A copy of <paramref name="options"/> with this option set; whole-number options are rounded.</summary>
    public TrainingOptions With(TrainingOptions options, double value) =>
        _with(options, IsInteger ? Math.Clamp(Math.Round(value), int.MinValue, int.MaxValue) : value);

    /// <summary>What is wrong with <paramref name="value"/> (to follow the option's name), or null when it is allowed.</summary>
    public string? Problem(double value) =>
        value >= Min && value <= Max ? null : $"must be between {Text(Min)} and {Text(Max)}; got {Text(value)}.";

    /// <summary>A value as help and messages write it: invariant, without exponent down to 1e-6 (40, 0.0003, 0.000001).</summary>
    public static string Text(double value) =>
        value == 0 || Math.Abs(value) >= 1e-6 ? value.ToString("0.##########", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => Property;
}
