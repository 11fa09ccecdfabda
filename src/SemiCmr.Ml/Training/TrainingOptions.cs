using System.ComponentModel.DataAnnotations;

namespace SemiCmr.Ml.Training;

/// <summary>
/// Every knob of the method with its default. The same type serves the CLI, the REST API
/// (`options` in POST /api/runs) and checkpoints. <see cref="Validate"/> lists what is out of range.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Epochs of stage 1 (label prediction).</summary>
    [Range(1, 10_000)] public int Stage1Epochs { get; init; } = 40;

    /// <summary>Epochs of stage 2 (common space).</summary>
    [Range(1, 10_000)] public int Stage2Epochs { get; init; } = 30;

    [Range(2, 65_536)] public int BatchSize { get; init; } = 128;

    /// <summary>Adam learning rate of both stages.</summary>
    [Range(1e-6, 1.0)] public double LearningRate { get; init; } = 3e-4;

    /// <summary>Width of the hidden layer of every branch and classifier.</summary>
    [Range(1, 65_536)] public int HiddenDim { get; init; } = 512;

    /// <summary>Dimension of the common image-text space.</summary>
    [Range(1, 65_536)] public int CommonDim { get; init; } = 128;

    /// <summary>Weight of J2, the pairwise label-similarity loss in the common space.</summary>
    [Range(0.0, 1000.0)] public double Alpha { get; init; } = 0.1;

    /// <summary>Weight of J3, the modality-invariance loss between the two embeddings of a pair.</summary>
    [Range(0.0, 1000.0)] public double Beta { get; init; } = 0.1;

    /// <summary>Multi-label stage 1: a class is predicted when its fused probability reaches this.</summary>
    [Range(0.0, 1.0)] public double Threshold { get; init; } = 0.5;

    /// <summary>Weight of the cross-modal consistency loss on unlabeled pairs in stage 1.</summary>
    [Range(0.0, 1000.0)] public double ConsistencyWeight { get; init; } = 1.0;

    /// <summary>Epochs over which the consistency weight ramps up from 0 (sigmoid ramp).</summary>
    [Range(0, 10_000)] public int RampUpEpochs { get; init; } = 15;

    /// <summary>Dropout before every hidden layer's output.</summary>
    [Range(0.0, 0.95)] public double Dropout { get; init; } = 0.2;

    /// <summary>Adam weight decay (L2).</summary>
    [Range(0.0, 1.0)] public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Scale of the cosine inside J2: theta = Scale * cos / 2.</summary>
    [Range(0.1, 1000.0)] public double Scale { get; init; } = 10.0;

    /// <summary>Ridge added to each covariance matrix of CCA, relative to its mean variance (regularization x trace / d).</summary>
    [Range(0.0, 1000.0)] public double CcaRegularization { get; init; } = 1e-3;

    public static TrainingOptions Default { get; } = new();

    /// <summary>Every option out of range, as (name, message); empty when the options are valid.</summary>
    public IReadOnlyList<(string Option, string Message)> Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        return results.Select(r => (r.MemberNames.FirstOrDefault() ?? "", r.ErrorMessage ?? "invalid")).ToList();
    }
}
