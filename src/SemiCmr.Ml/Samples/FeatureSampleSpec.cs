namespace SemiCmr.Ml.Samples;

/// <summary>
/// What <see cref="FeatureSamples"/> generates. The defaults give a Wikipedia-sized benchmark: 10 classes,
/// 2000 train + 700 test pairs, 128-d histogram-like image features, 10-d topic-like text features, one label
/// per item. <paramref name="UnlabeledShare"/> is the share of items (in both splits) that carry no label at all.
/// </summary>
public sealed record FeatureSampleSpec(
    int Classes = 10, int TrainItems = 2000, int TestItems = 700, int ImageDim = 128, int TextDim = 10,
    bool MultiLabel = false, double UnlabeledShare = 0, int Seed = 1)
{
    /// <summary>Single-label, Wikipedia-sized (the defaults).</summary>
    public static FeatureSampleSpec SingleLabel { get; } = new();

    /// <summary>
    /// Multi-label and Flickr-sized: 1000 pairs (800 train + 200 test), 12 classes, 1-3 labels per item, 5% of
    /// the items without any label. Narrower features than the real 512-d / 384-d ones keep it quick.
    /// </summary>
    public static FeatureSampleSpec MultiLabelDefault { get; } =
        new(Classes: 12, TrainItems: 800, TestItems: 200, ImageDim: 64, TextDim: 32, MultiLabel: true, UnlabeledShare: 0.05);

    /// <summary>Largest item count: both feature matrices stay well inside one .NET array.</summary>
    public const int MaxItems = 1_000_000;

    /// <summary>Largest feature dimension of either modality.</summary>
    public const int MaxDim = 4096;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field whose value makes no sample.</summary>
    public void Validate()
    {
        Require(Classes is >= 2 and <= 1000, nameof(Classes), $"must be between 2 and 1000; got {Classes}");
        Require(TrainItems is >= 1 and <= MaxItems, nameof(TrainItems), $"must be between 1 and {MaxItems}; got {TrainItems}");
        Require(TestItems is >= 1 and <= MaxItems, nameof(TestItems), $"must be between 1 and {MaxItems}; got {TestItems}");
        Require(ImageDim is >= 1 and <= MaxDim, nameof(ImageDim), $"must be between 1 and {MaxDim}; got {ImageDim}");
        Require(TextDim is >= 1 and <= MaxDim, nameof(TextDim), $"must be between 1 and {MaxDim}; got {TextDim}");
        Require(UnlabeledShare is >= 0 and < 1, nameof(UnlabeledShare), $"must be at least 0 and below 1; got {UnlabeledShare}");
        // Every class must occur among the labeled train items, or a dataset read back from disk would lose it.
        int labeledTrain = SampleLabels.LabeledCount(TrainItems, UnlabeledShare);
        Require(labeledTrain >= Classes, nameof(TrainItems),
            $"{TrainItems} train items ({labeledTrain} labeled) cannot show all {Classes} classes: give at least one labeled item per class");
        Require(SampleLabels.LabeledCount(TestItems, UnlabeledShare) >= 1, nameof(TestItems),
            $"{TestItems} test items leave no labeled item to evaluate on at an unlabeled share of {UnlabeledShare}");
    }

    private static void Require(bool valid, string field, string message)
    {
        if (!valid) throw new ArgumentException($"{field} {message}.", field);
    }
}
