using SemiCmr.Ml.Data;
using TorchSharp;

namespace SemiCmr.Ml.Training;

/// <summary>
/// One training run. LabeledRows are dataset rows of training items whose labels are shown (the label
/// budget); `full` and `cca` ignore them.
/// </summary>
public sealed record TrainingRequest(
    FeatureDataset Dataset,
    Method Method,
    IReadOnlyList<int> LabeledRows,
    TrainingOptions Options,
    int Seed,
    torch.Device Device);
