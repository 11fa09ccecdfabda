using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Training;

/// <summary>
/// The rows one run works with: train and test splits, the validation rows reported per epoch
/// (the val split, else the test split, capped), and the budget's labeled rows with the rest of
/// the training rows as the unlabeled set. Shown are the rows whose true labels training sees: the budget's
/// labeled rows, every labeled training row for full, none for cca.
/// </summary>
internal sealed record RunSplit(
    int[] Train, int[] Test, int[] Validation, int[] Labeled, int[] Unlabeled, int[] Shown)
{
    private const int MaxValidationItems = 2000;

    public int LabeledCount => Shown.Length;

    public static RunSplit Of(FeatureDataset dataset, TrainingRequest request)
    {
        var train = dataset.IndicesOf(Split.Train);
        // Unlabeled test items stay in the ranked database (never relevant, never queries), as the protocol says.
        var test = dataset.IndicesOf(Split.Test);
        if (train.Length == 0) throw new ArgumentException("The dataset has no training items.");
        if (!test.Any(r => dataset.Items[r].HasLabels)) throw new ArgumentException("The dataset has no labeled test items to evaluate on.");
        var val = dataset.IndicesOf(Split.Val);
        var validation = (val.Any(r => dataset.Items[r].HasLabels) ? val : test).Take(MaxValidationItems).ToArray();

        var labeled = request.LabeledRows.Distinct().Order().ToArray();
        foreach (int row in labeled)
        {
            if (row < 0 || row >= dataset.Items.Count || dataset.Items[row].Split != Split.Train || !dataset.Items[row].HasLabels)
                throw new ArgumentException($"Labeled row {row} is not a training item with labels.");
        }
        bool usesBudget = request.Method is Method.Sscmr or Method.Supervised;
        if (usesBudget && labeled.Length == 0)
            throw new ArgumentException($"Method {request.Method.ToName()} needs at least one labeled training item.");
        var labeledSet = labeled.ToHashSet();
        var unlabeled = train.Where(r => !labeledSet.Contains(r)).ToArray();
        int[] shown = request.Method switch
        {
            Method.Full => train.Where(r => dataset.Items[r].HasLabels).ToArray(),
            Method.Cca => [],
            _ => labeled,
        };
        return new RunSplit(train, test, validation, labeled, unlabeled, shown);
    }
}
