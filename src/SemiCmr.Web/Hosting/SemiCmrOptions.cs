using System.ComponentModel.DataAnnotations;

namespace SemiCmr.Web.Hosting;

/// <summary>Where the SQLite database, imported datasets and run artifacts live ("Data" section).</summary>
public sealed class DataOptions
{
    public const string Section = "Data";

    /// <summary>Relative paths are resolved against the content root (the repo root in development).</summary>
    [Required] public string Directory { get; set; } = "data";
}

/// <summary>Limits on what users may import ("Import" section).</summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>Server folders that POST /api/datasets/from-folder may read from; empty allows none.</summary>
    public List<string> AllowedRoots { get; set; } = [];

    [Range(1, long.MaxValue)] public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>The most characters of text stored per item; longer texts are cut and listed in the import report.</summary>
    [Range(100, 100_000_000)] public int MaxTextChars { get; set; } = Ml.Import.RawImportSettings.DefaultMaxTextChars;

    /// <summary>Threads an import decodes and encodes on (at low priority); 0 leaves one core for requests (max(1, cores - 1)).</summary>
    [Range(0, 1024)] public int Threads { get; set; }

    public int EffectiveThreads => Threads > 0 ? Threads : Math.Max(1, Environment.ProcessorCount - 1);
}

/// <summary>How the host runs training ("Training" section); not to be confused with the method's TrainingOptions.</summary>
public sealed class TrainingHostOptions
{
    public const string Section = "Training";

    [Required, RegularExpression("^(?i)(auto|cpu|cuda)$", ErrorMessage = "Training:Device must be auto, cpu or cuda.")]
    public string Device { get; set; } = "auto";

    /// <summary>Torch intra-op threads; 0 leaves one core for requests (max(1, cores - 1)).</summary>
    [Range(0, 1024)] public int Threads { get; set; }

    public int EffectiveThreads => Threads > 0 ? Threads : Math.Max(1, Environment.ProcessorCount - 1);

    // Limits on one run, checked before it is queued (see RunFootprint): the option ranges alone allow runs that
    // would take the machine's memory or disk. The defaults let every preset run on any dataset the import accepts.

    /// <summary>Most parameters of the largest network a run trains at once.</summary>
    [Range(1, long.MaxValue)] public long MaxParameters { get; set; } = 50_000_000;

    /// <summary>Most epochs of each stage.</summary>
    [Range(1, 10_000)] public int MaxEpochs { get; set; } = 1000;

    /// <summary>Most memory a run's estimate may need at its peak (features, model, optimizer state, one batch).</summary>
    [Range(1, long.MaxValue)] public long MaxMemoryBytes { get; set; } = 8L << 30;

    /// <summary>Most bytes a run's folder may take (weights, embeddings, predictions, reports).</summary>
    [Range(1, long.MaxValue)] public long MaxRunDiskBytes { get; set; } = 2L << 30;
}

/// <summary>The bundled demo dataset ("Demo" section).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Enabled { get; set; }
}

/// <summary>Search index cache ("Search" section).</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>How many runs' embedding indexes stay in memory at once.</summary>
    [Range(1, 1000)] public int CachedIndexes { get; set; } = 4;
}
