using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training;

/// <summary>
/// What both stages share during one run: standardised features and label targets of every item,
/// already on the training device, plus the run's seeded generators, options, progress sink and cancellation.
/// The run draws nothing from libtorch's process-wide generator, so other runs, model loading and searches
/// in the same process cannot change it.
/// </summary>
internal sealed class TrainingContext(
    Tensor images,
    Tensor texts,
    Tensor trueLabels,
    int classCount,
    bool isMultiLabel,
    TrainingOptions options,
    Generator generator,
    Generator modelGenerator,
    IProgress<TrainingProgress>? progress,
    CancellationToken cancellationToken) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Texts { get; } = texts;

    /// <summary>Multi-hot true labels of every item [items x classes] (all zero for unlabeled items).</summary>
    public Tensor TrueLabels { get; } = trueLabels;

    public int ClassCount { get; } = classCount;
    public bool IsMultiLabel { get; } = isMultiLabel;
    public TrainingOptions Options { get; } = options;
    /// <summary>Draws the shuffles of the batch schedules.</summary>
    public Generator Generator { get; } = generator;

    /// <summary>
    /// Draws initial weights and dropout masks. Separate from <see cref="Generator"/> and seeded alike because
    /// these draws used to come from the global generator seeded with the run's seed: runs reproduce their
    /// earlier results exactly.
    /// </summary>
    public Generator ModelGenerator { get; } = modelGenerator;
    public Device Device => Images.device;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public void Report(TrainingProgress update) => progress?.Report(update);

    public BatchSchedule Schedule(IReadOnlyList<int> rows) =>
        new(TensorConversions.Indices(rows, Device), Options.BatchSize, Generator);

    public void Dispose()
    {
        Images.Dispose();
        Texts.Dispose();
        TrueLabels.Dispose();
        Generator.Dispose();
        ModelGenerator.Dispose();
    }
}
