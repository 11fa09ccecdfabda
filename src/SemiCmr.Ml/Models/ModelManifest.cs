using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Models;

/// <summary>
/// The JSON half of a checkpoint (model.json): everything needed to rebuild the model and to apply it
/// to raw features (normalisation statistics fitted on the training split), plus the run's metrics.
/// </summary>
public sealed record ModelManifest(
    string Method,
    TrainingOptions Options,
    IReadOnlyList<string> ClassNames,
    bool IsMultiLabel,
    int ImageDim,
    int TextDim,
    int EmbeddingDim,
    int Seed,
    int Labeled,
    Standardizer ImageStandardizer,
    Standardizer TextStandardizer,
    RunMetrics? Metrics = null,
    int FormatVersion = 1);
