using System.ComponentModel.DataAnnotations;

namespace SemiCmr.Web.Hosting;

/// <summary>Where the SQLite database, imported datasets and run artifacts live ("Data" section).</summary>
public sealed class DataOptions
{
    public const string Section = "Data";

    /// <summary>Relative paths are resolved against the content root (the repo root in development).</summary>
    [Required(ErrorMessage = "Data:Directory is required: the folder for the database, datasets and runs.")]
    public string Directory { get; set; } = "data";
}
