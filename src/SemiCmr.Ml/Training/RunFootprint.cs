namespace SemiCmr.Ml.Training;

/// <summary>What a run trains on, as far as its size goes: feature widths, classes and item counts.</summary>
public sealed record RunShape(int ImageDim, int TextDim, int Classes, int Items, int TrainItems)
{
    public static RunShape Of(Data.FeatureDataset dataset) => new(dataset.ImageFeatures.Columns, dataset.TextFeatures.Columns,
        dataset.ClassCount, dataset.Items.Count, dataset.IndicesOf(Data.Split.Train).Length);
}

/// <summary>
/// An estimate, made before a run is queued, of the parameters it trains, the memory it needs at its peak and the
/// bytes its folder takes, so that hosts can refuse a run that would exhaust the machine instead of finding out
/// mid-training. Upper-bound-ish rather than exact: every term is counted in float32 as the code allocates it.
/// </summary>
public sealed record RunFootprint(long Stage1Parameters, long Stage2Parameters, long MemoryBytes, long DiskBytes)
{
    private const long Float = sizeof(float);

    /// <summary>Weight, gradient and Adam's two moments per parameter.</summary>
    private const long TrainingCopies = 4;

    /// <summary>The largest network trained at once (stage 1's two classifiers, or stage 2's network, or CCA's projections).</summary>
    public long Parameters => Math.Max(Stage1Parameters, Stage2Parameters);

    public static RunFootprint Estimate(RunShape shape, Method method, TrainingOptions options)
    {
        long di = shape.ImageDim, dt = shape.TextDim, c = shape.Classes, n = shape.Items, h = options.HiddenDim;
        long common = method == Method.Cca ? Math.Min(options.CommonDim, Math.Min(di, dt)) : options.CommonDim;
        long batch = Math.Max(1, Math.Min(options.BatchSize, shape.TrainItems));

        // Stage 1 (sscmr only): a classifier per modality, features -> hidden -> classes.
        long stage1 = method == Method.Sscmr ? Linear(di, h) + Linear(dt, h) + 2 * Linear(h, c) : 0;
        // Stage 2: a branch per modality, the shared top layer and classifier; CCA keeps one projection per modality.
        long stage2 = method == Method.Cca
            ? (di + dt) * common
            : Linear(di, h) + Linear(dt, h) + Linear(h, common) + Linear(common, c);

        // Raw, standardised and on-device copies of the features; true labels and stage-2 targets; every item's embeddings.
        long data = Float * (3 * n * (di + dt) + 2 * n * c + 2 * n * common);
        long model = method == Method.Cca
            ? sizeof(double) * 3 * (di * di + dt * dt + di * dt) // covariances, their inverse roots and the cross product
            : Float * TrainingCopies * Math.Max(stage1, stage2);
        // One batch's activations and their gradients; J2 compares every pair of the batch (three b x b terms and their masks).
        long activations = method == Method.Cca ? 0
            : Float * (2 * batch * (di + dt) + 8 * batch * h + 6 * batch * common + 6 * batch * c + 12 * batch * batch);

        long weights = method == Method.Cca ? 25 * (stage2 + di + dt) : Float * stage2; // CCA is saved as JSON text
        long standardizers = 2 * 25 * (di + dt);
        long predictions = method == Method.Sscmr ? 64 * shape.TrainItems : 0;
        const long Reports = 256 * 1024; // evaluation (curves per class) and manifest
        long disk = weights + standardizers + Float * 2 * n * common + predictions + Reports;

        return new RunFootprint(stage1, stage2, data + model + activations, disk);
    }

    private static long Linear(long inputs, long outputs) => inputs * outputs + outputs;
}
