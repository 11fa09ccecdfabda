using System.ComponentModel;
using System.Reflection;
using SemiCmr.Ml.Training;

namespace SemiCmr.Cli.Common;

/// <summary>
/// The default of a training flag, read from <see cref="TrainingOptions.Default"/> so the CLI never
/// repeats a default literal. Spectre reads <see cref="DefaultValueAttribute.Value"/> both to show the
/// default in --help and to fill the property when the flag is absent.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TrainingDefaultAttribute(string property) : DefaultValueAttribute((object?)null)
{
    private readonly PropertyInfo _property = typeof(TrainingOptions).GetProperty(property)
        ?? throw new ArgumentException($"TrainingOptions has no property '{property}'.", nameof(property));

    public override object? Value => _property.GetValue(TrainingOptions.Default);
}
