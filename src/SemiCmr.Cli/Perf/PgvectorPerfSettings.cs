using System.ComponentModel;
using SemiCmr.Ml.Search;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

public sealed class PgvectorPerfSettings : CommandSettings
{
    [CommandOption("--connection <STRING>")]
    [Description("A PostgreSQL connection string (pgvector installed, or a user who may create the extension). Scratch tables are made and dropped there.")]
    public string Connection { get; set; } = "";

    [CommandOption("--items <N>")]
    [DefaultValue(100_000)]
    public int Items { get; set; } = 100_000;

    [CommandOption("--dims <N>")]
    [Description("Dimensions of the vectors (a run's common space).")]
    [DefaultValue(128)]
    public int Dimensions { get; set; } = 128;

    [CommandOption("--queries <N>")]
    [Description("Single queries timed through the HNSW index, and with the label filter (drawn like the items, not among them).")]
    [DefaultValue(1000)]
    public int Queries { get; set; } = 1000;

    [CommandOption("--exact-queries <N>")]
    [Description("Of those, how many are also timed as PostgreSQL's exact scan (slow on large tables).")]
    [DefaultValue(50)]
    public int ExactQueries { get; set; } = 50;

    [CommandOption("--clusters <N>")]
    [Description("Classes the synthetic items are scattered around.")]
    [DefaultValue(100)]
    public int Clusters { get; set; } = 100;

    [CommandOption("--ef <N>")]
    [Description("hnsw.ef_search: the app's Search:HnswExpansion, whose default it is (pgvector allows at most 1000).")]
    [DefaultValue(HnswIndex.DefaultSearchExpansion)]
    public int EfSearch { get; set; } = HnswIndex.DefaultSearchExpansion;

    [CommandOption("--filter <PERCENT>")]
    [Description("Also time searches with a label filter (the allowed rows read from a labels table, as the app's) allowing this share of the items as whole classes; 0 for none.")]
    [DefaultValue(10)]
    public int FilterPercent { get; set; } = 10;

    [CommandOption("--seed <N>")]
    [DefaultValue(1)]
    public int Seed { get; set; } = 1;

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Connection)) return ValidationResult.Error("--connection is required: a PostgreSQL connection string.");
        if (Items is < 100 or > 20_000_000) return ValidationResult.Error($"--items must be between 100 and 20000000, got {Items}.");
        if (Dimensions is < 2 or > 2000) return ValidationResult.Error($"--dims must be between 2 and 2000 (pgvector's HNSW limit), got {Dimensions}.");
        if (Queries is < 10 or > 100_000) return ValidationResult.Error($"--queries must be between 10 and 100000, got {Queries}.");
        if (ExactQueries < 0 || ExactQueries > Queries) return ValidationResult.Error($"--exact-queries must be between 0 and --queries, got {ExactQueries}.");
        if (EfSearch is < 10 or > 1000) return ValidationResult.Error($"--ef must be between 10 and 1000, got {EfSearch}.");
        if (Clusters is < 1 or > 100_000) return ValidationResult.Error($"--clusters must be between 1 and 100000, got {Clusters}.");
        if (FilterPercent is < 0 or > 100) return ValidationResult.Error($"--filter must be a percentage between 0 and 100, got {FilterPercent}.");
        return FilterPercent > 0 && Clusters * FilterPercent < 100
            ? ValidationResult.Error($"--filter {FilterPercent} allows no whole class of {Clusters}: raise --clusters or --filter.")
            : ValidationResult.Success();
    }
}
