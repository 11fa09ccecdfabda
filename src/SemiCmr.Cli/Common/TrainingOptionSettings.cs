using System.ComponentModel;
using SemiCmr.Ml.Training;
using Spectre.Console.Cli;

namespace SemiCmr.Cli.Common;

/// <summary>One flag per <see cref="TrainingOptions"/> property, defaults taken from TrainingOptions.Default.</summary>
public class TrainingOptionSettings : DeviceSettings
{
    [CommandOption("--stage1-epochs <N>"), Description("Epochs of stage 1 (label prediction)."), TrainingDefault(nameof(TrainingOptions.Stage1Epochs))]
    public int Stage1Epochs { get; set; }

    [CommandOption("--stage2-epochs <N>"), Description("Epochs of stage 2 (common space)."), TrainingDefault(nameof(TrainingOptions.Stage2Epochs))]
    public int Stage2Epochs { get; set; }

    [CommandOption("--batch-size <N>"), Description("Training pairs per batch in both stages."), TrainingDefault(nameof(TrainingOptions.BatchSize))]
    public int BatchSize { get; set; }

    [CommandOption("--learning-rate <RATE>"), Description("Adam learning rate of both stages."), TrainingDefault(nameof(TrainingOptions.LearningRate))]
    public double LearningRate { get; set; }

    [CommandOption("--hidden-dim <N>"), Description("Width of the hidden layer of every branch and classifier."), TrainingDefault(nameof(TrainingOptions.HiddenDim))]
    public int HiddenDim { get; set; }

    [CommandOption("--common-dim <N>"), Description("Dimension of the common image-text space."), TrainingDefault(nameof(TrainingOptions.CommonDim))]
    public int CommonDim { get; set; }

    [CommandOption("--alpha <WEIGHT>"), Description("Weight of J2, the pairwise label-similarity loss in the common space."), TrainingDefault(nameof(TrainingOptions.Alpha))]
    public double Alpha { get; set; }

    [CommandOption("--beta <WEIGHT>"), Description("Weight of J3, the modality-invariance loss between the two embeddings of a pair."), TrainingDefault(nameof(TrainingOptions.Beta))]
    public double Beta { get; set; }

    [CommandOption("--threshold <P>"), Description("Multi-label stage 1: a class is predicted when its fused probability reaches this."), TrainingDefault(nameof(TrainingOptions.Threshold))]
    public double Threshold { get; set; }

    [CommandOption("--consistency-weight <WEIGHT>"), Description("Weight of the cross-modal consistency loss on unlabeled pairs in stage 1."), TrainingDefault(nameof(TrainingOptions.ConsistencyWeight))]
    public double ConsistencyWeight { get; set; }

    [CommandOption("--ramp-up-epochs <N>"), Description("Epochs over which the consistency weight ramps up from 0."), TrainingDefault(nameof(TrainingOptions.RampUpEpochs))]
    public int RampUpEpochs { get; set; }

    [CommandOption("--dropout <P>"), Description("Dropout on every hidden layer's output."), TrainingDefault(nameof(TrainingOptions.Dropout))]
    public double Dropout { get; set; }

    [CommandOption("--weight-decay <L2>"), Description("Adam weight decay (L2)."), TrainingDefault(nameof(TrainingOptions.WeightDecay))]
    public double WeightDecay { get; set; }

    [CommandOption("--scale <S>"), Description("Scale of the cosine inside J2: theta = scale * cos / 2."), TrainingDefault(nameof(TrainingOptions.Scale))]
    public double Scale { get; set; }

    [CommandOption("--cca-regularization <RIDGE>"), Description("Ridge added to each covariance matrix of CCA, relative to its mean variance (regularization x trace / d)."), TrainingDefault(nameof(TrainingOptions.CcaRegularization))]
    public double CcaRegularization { get; set; }

    public TrainingOptions ToOptions() => TrainingOptions.Default with
    {
        Stage1Epochs = Stage1Epochs,
        Stage2Epochs = Stage2Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        HiddenDim = HiddenDim,
        CommonDim = CommonDim,
        Alpha = Alpha,
        Beta = Beta,
        Threshold = Threshold,
        ConsistencyWeight = ConsistencyWeight,
        RampUpEpochs = RampUpEpochs,
        Dropout = Dropout,
        WeightDecay = WeightDecay,
        Scale = Scale,
        CcaRegularization = CcaRegularization,
    };

    /// <summary>The options, or a user error naming every out-of-range flag.</summary>
    public TrainingOptions ValidOptions()
    {
        var options = ToOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new UserInputException("Invalid training options:",
                problems.Select(p => $"{FlagName(p.Option)}: {p.Message}").ToList());
        return options;
    }

    /// <summary>The flag of a TrainingOptions property: Stage1Epochs -> --stage1-epochs.</summary>
    public static string FlagName(string property) =>
        "--" + string.Concat(property.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
