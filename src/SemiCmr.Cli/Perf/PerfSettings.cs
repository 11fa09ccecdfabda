using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Perf;

public sealed class PerfSettings : CommandSettings
{
    [CommandOption("--data <DIR>", isRequired: true)]
    [Description("Feature dataset folder the benchmarks train and evaluate on (e.g. samples/features written by `semicmr samples`).")]
    public string Data { get; set; } = "";

    [CommandOption("--threads <N>")]
    [Description("CPU threads for libtorch; 0 keeps libtorch's default.")]
    [DefaultValue(1)]
    public int Threads { get; set; } = 1;

    [CommandOption("--filter <PATTERN>")]
    [Description("Only benchmarks whose name contains this text (e.g. Stage2).")]
    public string? Filter { get; set; }

    public override ValidationResult Validate() =>
        Directory.Exists(Data) ? ValidationResult.Success() : ValidationResult.Error($"--data: folder '{Data}' does not exist.");
}
