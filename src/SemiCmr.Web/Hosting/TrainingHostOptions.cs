using System.ComponentModel.DataAnnotations;

namespace SemiCmr.Web.Hosting;

/// <summary>How the host runs training ("Training" section); not to be confused with the method's TrainingOptions.</summary>
public sealed class TrainingHostOptions
{
    public const string Section = "Training";

    [Required(ErrorMessage = "Training:Device must be auto, cpu or cuda.")]
    [RegularExpression("^(?i)(auto|cpu|cuda)$", ErrorMessage = "Training:Device must be auto, cpu or cuda.")]
    public string Device { get; set; } = "auto";

    /// <summary>Torch intra-op threads; 0 leaves one core for requests (max(1, cores - 1)).</summary>
    [Range(0, 1024, ErrorMessage = "Training:Threads must be between {1} and {2} (0: all cores but one).")]
    public int Threads { get; set; }

    public int EffectiveThreads => ThreadSetting.Effective(Threads);

    // Limits on one run, checked before it is queued (see RunFootprint): the option ranges alone allow runs that
    // would take the machine's memory or disk. The defaults let every preset run on any dataset the import accepts.

    /// <summary>Most parameters of the largest network a run trains at once.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Training:MaxParameters must be at least {1}.")]
    public long MaxParameters { get; set; } = 50_000_000;

    /// <summary>Most epochs of each stage.</summary>
    [Range(1, 10_000, ErrorMessage = "Training:MaxEpochs must be between {1} and {2}.")]
    public int MaxEpochs { get; set; } = 1000;

    /// <summary>Most memory a run's estimate may need at its peak (features, model, optimizer state, one batch).</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Training:MaxMemoryBytes must be at least {1}.")]
    public long MaxMemoryBytes { get; set; } = 8L << 30;

    /// <summary>Most bytes a run's folder may take (weights, embeddings, predictions, reports).</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Training:MaxRunDiskBytes must be at least {1}.")]
    public long MaxRunDiskBytes { get; set; } = 2L << 30;
}
