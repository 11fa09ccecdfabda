using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Budget;

/// <summary>Small in-memory datasets with known class sizes for label budget tests.</summary>
internal static class BudgetDatasets
{
    /// <summary>
    /// Single-label: labeled train items with the given class sizes, then <paramref name="unlabeledTrain"/>
    /// unlabeled train items, then one test item per class.
    /// </summary>
    public static FeatureDataset SingleLabel(int[] classSizes, int unlabeledTrain = 0)
    {
        var items = new List<DatasetItem>();
        for (int c = 0; c < classSizes.Length; c++)
            for (int i = 0; i < classSizes[c]; i++) items.Add(new DatasetItem($"c{c}-{i}", Split.Train, [c]));
        for (int i = 0; i < unlabeledTrain; i++) items.Add(new DatasetItem($"u{i}", Split.Train, []));
        for (int c = 0; c < classSizes.Length; c++) items.Add(new DatasetItem($"t{c}", Split.Test, [c]));
        return Build(items, classSizes.Length);
    }

    /// <summary>
    /// Multi-label: 200 train items carrying class 0 and/or 1 (both common), 3 of which also carry the
    /// rare class 2; 20 unlabeled train items; 10 test items.
    /// </summary>
    public static FeatureDataset MultiLabelWithRareClass()
    {
        var items = new List<DatasetItem>();
        for (int i = 0; i < 200; i++)
        {
            int[] labels = (i % 3) switch { 0 => [0], 1 => [1], _ => [0, 1] };
            if (i is 50 or 120 or 190) labels = [.. labels, 2];
            items.Add(new DatasetItem($"m{i}", Split.Train, labels));
        }
        for (int i = 0; i < 20; i++) items.Add(new DatasetItem($"u{i}", Split.Train, []));
        for (int i = 0; i < 10; i++) items.Add(new DatasetItem($"t{i}", Split.Test, [i % 3]));
        return Build(items, 3);
    }

    private static FeatureDataset Build(List<DatasetItem> items, int classes)
    {
        var names = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray();
        var features = new FeatureMatrix(new float[items.Count], items.Count, 1);
        return new FeatureDataset(items, names, features, features);
    }
}
