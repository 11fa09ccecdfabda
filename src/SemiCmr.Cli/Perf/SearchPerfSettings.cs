using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

public sealed class SearchPerfSettings : CommandSettings
{
    [CommandOption("--items <LIST>")]
    [Description("Index sizes to measure, comma-separated.")]
    [DefaultValue("100000,1000000")]
    public string Items { get; set; } = "100000,1000000";

    [CommandOption("--dims <N>")]
    [Description("Dimensions of the vectors (a run's common space).")]
    [DefaultValue(128)]
    public int Dimensions { get; set; } = 128;

    [CommandOption("--queries <N>")]
    [Description("Single queries timed per index (drawn like the items, not among them).")]
    [DefaultValue(1000)]
    public int Queries { get; set; } = 1000;

    [CommandOption("--clusters <N>")]
    [Description("Classes the synthetic items are scattered around.")]
    [DefaultValue(100)]
    public int Clusters { get; set; } = 100;

    [CommandOption("--seed <N>")]
    [DefaultValue(1)]
    public int Seed { get; set; } = 1;

    [CommandOption("--hnsw-from <N>")]
    [Description("Sizes below this are measured with the exact scan only (an HNSW index pays off only on large runs).")]
    [DefaultValue(0)]
    public int HnswFrom { get; set; }

    [CommandOption("--expansion <LIST>")]
    [Description("HNSW search expansions (candidates a query's graph walk keeps) to measure on each graph, comma-separated.")]
    [DefaultValue("64,96,128,192,256")]
    public string Expansion { get; set; } = "64,96,128,192,256";

    [CommandOption("--filter <PERCENT>")]
    [Description("Also time searches with a label filter allowing this share of the items (whole classes, as a label does: most queries then lie outside it); 0 for none.")]
    [DefaultValue(10)]
    public int FilterPercent { get; set; } = 10;

    public IReadOnlyList<int> ParsedExpansion => Numbers(Expansion);

    public IReadOnlyList<int> ParsedItems => Numbers(Items);

    private static List<int> Numbers(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : -1).ToList();

    public override ValidationResult Validate()
    {
        if (ParsedItems.Count == 0 || ParsedItems.Any(n => n is < 100 or > 20_000_000))
            return ValidationResult.Error($"--items must list sizes between 100 and 20000000, got '{Items}'.");
        if (ParsedExpansion.Count == 0 || ParsedExpansion.Any(n => n is < 10 or > 4096))
            return ValidationResult.Error($"--expansion must list values between 10 and 4096, got '{Expansion}'.");
        if (Dimensions is < 2 or > 4096) return ValidationResult.Error($"--dims must be between 2 and 4096, got {Dimensions}.");
        if (Queries is < 10 or > 100_000) return ValidationResult.Error($"--queries must be between 10 and 100000, got {Queries}.");
        if (FilterPercent is < 0 or > 100) return ValidationResult.Error($"--filter must be a percentage between 0 and 100, got {FilterPercent}.");
        if (FilterPercent > 0 && Clusters * FilterPercent < 100)
            return ValidationResult.Error($"--filter {FilterPercent} allows no whole class of {Clusters}: raise --clusters or --filter.");
        if (Clusters is < 1 or > 100_000) return ValidationResult.Error($"--clusters must be between 1 and 100000, got {Clusters}.");
        return (long)ParsedItems.Max() * Dimensions > int.MaxValue
            ? ValidationResult.Error("--items x --dims must stay below 2^31 values per index.")
            : ValidationResult.Success();
    }
}
