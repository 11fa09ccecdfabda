using System.Globalization;
using SemiCmr.Ml.Training;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Common;

/// <summary>
/// The training options of `train` and `bench` as flags, one per <see cref="TrainingOptionCatalog"/> entry. Spectre
/// binds flags to attributed properties only, so these arrive as the command's remaining arguments and are read here.
/// </summary>
public static class TrainingFlags
{
    /// <summary>The commands whose --help lists the training options.</summary>
    public static readonly IReadOnlySet<string> Commands = new HashSet<string> { "train", "bench" };

    /// <summary>The defaults with every given flag applied, or a user error naming every flag that is unknown or invalid.</summary>
    public static TrainingOptions Read(IRemainingArguments remaining)
    {
        var options = TrainingOptions.Default;
        var problems = new List<string>();
        foreach (var flag in remaining.Parsed)
        {
            var option = TrainingOptionCatalog.All.FirstOrDefault(o => o.Flag == flag.Key);
            var text = flag.LastOrDefault();
            if (option is null)
                problems.Add($"{flag.Key} is not an option of this command; see --help.");
            else if (text is null)
                problems.Add($"{option.Flag} needs a value.");
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                problems.Add($"{option.Flag} must be a number; got '{text}'.");
            else if (option.IsInteger && value != Math.Floor(value))
                problems.Add($"{option.Flag} must be a whole number; got {text}.");
            else
                options = option.With(options, value);
        }
        problems.AddRange(options.Validate().Select(p => $"{p.Option.Flag} {p.Problem}"));
        return problems.Count == 0 ? options : throw new UserInputException("Invalid training options:", problems);
    }
}
