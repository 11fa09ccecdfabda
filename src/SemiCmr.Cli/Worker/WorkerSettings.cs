using System.ComponentModel;
using Npgsql;
using SemiCmr.Cli.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Worker;

public sealed class WorkerSettings : DeviceSettings
{
    [CommandOption("--connection <CONNECTION>")]
    [Description("The PostgreSQL database the web instances use (their ConnectionStrings:SemiCmr), e.g. \"Host=db;Username=semicmr;Password=...;Database=semicmr\".")]
    public string Connection { get; set; } = "";

    [CommandOption("--data <FOLDER>")]
    [Description("The data folder the web instances use (their Data:Directory), a shared volume: runs read the datasets' files and write the run folders there.")]
    public string Data { get; set; } = "";

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Connection))
            return ValidationResult.Error("--connection is required: the PostgreSQL connection string of the web instances' database.");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(Connection);
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error($"--connection is not a PostgreSQL connection string: {e.Message}");
        }
        if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data is required: the data folder the web instances use.");
        if (!Directory.Exists(Data))
            return ValidationResult.Error($"--data {Data} is not a folder here: give the data folder the web instances use (a shared volume).");
        return base.Validate();
    }
}
