namespace SemiCmr.Ml.Training;

/// <summary>
/// The one description of the training options: the CLI's flags and --help, the new-run form and the REST API's
/// validation and OpenAPI schema all read it. Adding an option is a property on <see cref="TrainingOptions"/>
/// (its default) and an entry here; a test fails when one has no other.
/// </summary>
public static class TrainingOptionCatalog
{
    public static IReadOnlyList<TrainingOption> All { get; } =
    [
        Whole(nameof(TrainingOptions.Stage1Epochs), "Stage-1 epochs", TrainingOptionGroup.StageOne, basic: true, 1, 10_000,
            o => o.Stage1Epochs, (o, v) => o with { Stage1Epochs = v }, "Epochs of stage 1, label prediction (sscmr only)."),
        Whole(nameof(TrainingOptions.Stage2Epochs), "Stage-2 epochs", TrainingOptionGroup.StageTwo, basic: true, 1, 10_000,
            o => o.Stage2Epochs, (o, v) => o with { Stage2Epochs = v }, "Epochs of stage 2, common-space training."),
        Whole(nameof(TrainingOptions.BatchSize), "Batch size", TrainingOptionGroup.General, basic: true, 2, 65_536,
            o => o.BatchSize, (o, v) => o with { BatchSize = v }, "Training pairs per batch in both stages."),
        Real(nameof(TrainingOptions.LearningRate), "Learning rate", TrainingOptionGroup.General, basic: true, 1e-6, 1.0,
            o => o.LearningRate, (o, v) => o with { LearningRate = v }, "Adam learning rate of both stages."),
        Whole(nameof(TrainingOptions.HiddenDim), "Hidden width", TrainingOptionGroup.General, basic: false, 1, 65_536,
            o => o.HiddenDim, (o, v) => o with { HiddenDim = v }, "Width of the hidden layer of every branch and classifier."),
        Whole(nameof(TrainingOptions.CommonDim), "Common dimension", TrainingOptionGroup.StageTwo, basic: false, 1, 65_536,
            o => o.CommonDim, (o, v) => o with { CommonDim = v }, "Dimension of the common image-text space."),
        Real(nameof(TrainingOptions.Alpha), "Alpha (J2)", TrainingOptionGroup.StageTwo, basic: false, 0.0, 1000.0,
            o => o.Alpha, (o, v) => o with { Alpha = v }, "Weight of J2, the pairwise label-similarity loss in the common space."),
        Real(nameof(TrainingOptions.Beta), "Beta (J3)", TrainingOptionGroup.StageTwo, basic: false, 0.0, 1000.0,
            o => o.Beta, (o, v) => o with { Beta = v }, "Weight of J3, the modality-invariance loss between the two embeddings of a pair."),
        Real(nameof(TrainingOptions.Threshold), "Threshold", TrainingOptionGroup.StageOne, basic: false, 0.0, 1.0,
            o => o.Threshold, (o, v) => o with { Threshold = v }, "Multi-label stage 1: a class is predicted when its fused probability reaches this."),
        Real(nameof(TrainingOptions.ConsistencyWeight), "Consistency weight", TrainingOptionGroup.StageOne, basic: false, 0.0, 1000.0,
            o => o.ConsistencyWeight, (o, v) => o with { ConsistencyWeight = v }, "Weight of the cross-modal consistency loss on unlabeled pairs in stage 1."),
        Whole(nameof(TrainingOptions.RampUpEpochs), "Ramp-up epochs", TrainingOptionGroup.StageOne, basic: false, 0, 10_000,
            o => o.RampUpEpochs, (o, v) => o with { RampUpEpochs = v }, "Epochs over which the consistency weight ramps up from 0 (sigmoid ramp)."),
        Real(nameof(TrainingOptions.Dropout), "Dropout", TrainingOptionGroup.General, basic: false, 0.0, 0.95,
            o => o.Dropout, (o, v) => o with { Dropout = v }, "Dropout on every hidden layer's output."),
        Real(nameof(TrainingOptions.WeightDecay), "Weight decay", TrainingOptionGroup.General, basic: false, 0.0, 1.0,
            o => o.WeightDecay, (o, v) => o with { WeightDecay = v }, "Adam weight decay (L2)."),
        Real(nameof(TrainingOptions.Scale), "Cosine scale", TrainingOptionGroup.StageTwo, basic: false, 0.1, 1000.0,
            o => o.Scale, (o, v) => o with { Scale = v }, "Scale of the cosine inside J2: theta = scale * cos / 2."),
        Real(nameof(TrainingOptions.CcaRegularization), "CCA ridge", TrainingOptionGroup.General, basic: false, 0.0, 1000.0,
            o => o.CcaRegularization, (o, v) => o with { CcaRegularization = v },
            "cca only: ridge added to each covariance matrix, relative to its mean variance (regularization x trace / d)."),
    ];

    /// <summary>The option of a TrainingOptions property name (Alpha) or API key (alpha).</summary>
    public static TrainingOption Find(string propertyOrKey) =>
        All.FirstOrDefault(o => o.Property == propertyOrKey || o.Key == propertyOrKey)
        ?? throw new ArgumentException($"No training option is called '{propertyOrKey}'.", nameof(propertyOrKey));

    public static string Title(TrainingOptionGroup group) => group switch
    {
        TrainingOptionGroup.StageOne => "Stage 1: label prediction",
        TrainingOptionGroup.StageTwo => "Stage 2: common space",
        _ => "Both stages",
    };

    /// <summary>Every option out of range with what is wrong; empty when the options are valid.</summary>
    public static IReadOnlyList<(TrainingOption Option, string Problem)> Problems(TrainingOptions options) =>
        All.Select(o => (Option: o, Problem: o.Problem(o.Get(options)))).Where(p => p.Problem is not null).Select(p => (p.Option, p.Problem!)).ToList();

    private static TrainingOption Whole(string property, string label, TrainingOptionGroup group, bool basic, int min, int max,
        Func<TrainingOptions, int> get, Func<TrainingOptions, int, TrainingOptions> with, string help) =>
        new(property, label, help, group, basic, isInteger: true, min, max, o => get(o), (o, v) => with(o, (int)v));

    private static TrainingOption Real(string property, string label, TrainingOptionGroup group, bool basic, double min, double max,
        Func<TrainingOptions, double> get, Func<TrainingOptions, double, TrainingOptions> with, string help) =>
        new(property, label, help, group, basic, isInteger: false, min, max, get, with);
}
