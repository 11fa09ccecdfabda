using System.ComponentModel;
using SemiCmr.Ml.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Common;

/// <summary>Where the tensors live: shared by every command that runs a model.</summary>
public class DeviceSettings : CommandSettings
{
    [CommandOption("--device <DEVICE>")]
    [Description("auto (CUDA when this build and machine have it, else CPU), cpu or cuda. cuda fails with exit code 2 when CUDA is not available.")]
    [DefaultValue("auto")]
    public string Device { get; set; } = "auto";

    [CommandOption("--threads <N>")]
    [Description("CPU threads for libtorch's matrix arithmetic; 0 keeps libtorch's default.")]
    [DefaultValue(0)]
    public int Threads { get; set; }

    public DeviceRequest DeviceRequest => TorchRuntime.ParseDevice(Device);

    public override ValidationResult Validate()
    {
        try
        {
            _ = DeviceRequest;
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return Threads < 0 ? ValidationResult.Error("--threads must be 0 (libtorch's default) or more.") : ValidationResult.Success();
    }
}
