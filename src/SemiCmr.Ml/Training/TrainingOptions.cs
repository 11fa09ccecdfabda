namespace SemiCmr.Ml.Training;

/// <summary>
/// Every knob of the method with its default. The same type serves the CLI, the REST API
/// (`options` in POST /api/runs) and checkpoints. What each option means, its range, flag and label are in
/// <see cref="TrainingOptionCatalog"/>, the one place every surface reads them from.
/// </summary>
public sealed record TrainingOptions
{
    public int Stage1Epochs { get; init; } = 40;
    public int Stage2Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 3e-4;
    public int HiddenDim { get; init; } = 512;
    public int CommonDim { get; init; } = 128;
    public double Alpha { get; init; } = 0.1;
    public double Beta { get; init; } = 0.1;
    public double Threshold { get; init; } = 0.5;
    public double ConsistencyWeight { get; init; } = 1.0;
    public int RampUpEpochs { get; init; } = 15;
    public double Dropout { get; init; } = 0.2;
    public double WeightDecay { get; init; } = 1e-4;
    public double Scale { get; init; } = 10.0;
    public double CcaRegularization { get; init; } = 1e-3;

    public static TrainingOptions Default { get; } = new();

    /// <summary>Every option out of range with what is wrong; empty when the options are valid.</summary>
    public IReadOnlyList<(TrainingOption Option, string Problem)> Validate() => TrainingOptionCatalog.Problems(this);
}
