using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Budget;

/// <summary>
/// Chooses which train items show their labels. Candidates are the train items that have labels (an
/// unlabeled item can never be in the labeled set); the choice is stratified by class and depends only
/// on the dataset, the size and the seed.
/// </summary>
public static class LabelBudget
{
    /// <summary>
    /// Shows the labels of a fraction <paramref name="ratio"/> (0 &lt; r &lt;= 1) of the candidates, at least one:
    /// count = max(1, round(r * candidates)), rounding halves up. Returns sorted dataset row indices.
    /// </summary>
    public static IReadOnlyList<int> ByRatio(FeatureDataset dataset, double ratio, int seed)
    {
        if (!(ratio > 0 && ratio <= 1))
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, $"The label ratio must be greater than 0 and at most 1; got {ratio}.");
        int candidates = Candidates(dataset).Length;
        if (candidates == 0)
            throw new ArgumentException("The dataset has no train items with labels, so no labels can be shown.", nameof(dataset));
        int count = Math.Max(1, (int)Math.Round(ratio * candidates, MidpointRounding.AwayFromZero));
        return ByCount(dataset, count, seed);
    }

    /// <summary>Shows the labels of <paramref name="count"/> candidates (1..candidates). Returns sorted dataset row indices.</summary>
    public static IReadOnlyList<int> ByCount(FeatureDataset dataset, int count, int seed)
    {
        var candidates = Candidates(dataset);
        if (candidates.Length == 0)
            throw new ArgumentException("The dataset has no train items with labels, so no labels can be shown.", nameof(dataset));
        if (count < 1 || count > candidates.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"The label count must be between 1 and {candidates.Length} (the train items that have labels); got {count}.");

        var random = new Random(seed);
        var chosen = dataset.IsMultiLabel
            ? StratifiedSampler.RareLabelsFirst(dataset, candidates, count, random)
            : StratifiedSampler.Proportional(dataset, candidates, count, random);
        chosen.Sort();
        return chosen;
    }

    /// <summary>
    /// The per-class counts of a labeled set (one returned by <see cref="ByRatio"/>, or marked by hand).
    /// Rows that are not train items with labels are not counted: their labels can never be shown.
    /// </summary>
    public static BudgetPreview Preview(FeatureDataset dataset, IReadOnlyList<int> labeled)
    {
        var candidates = Candidates(dataset);
        var shown = new int[dataset.ClassCount];
        var available = new int[dataset.ClassCount];
        foreach (int row in candidates)
        {
            foreach (int label in dataset.Items[row].Labels) available[label]++;
        }
        int labeledCount = 0;
        foreach (int row in labeled.Distinct())
        {
            var item = dataset.Items[row];
            if (item.Split != Split.Train || !item.HasLabels) continue;
            labeledCount++;
            foreach (int label in item.Labels) shown[label]++;
        }
        var listed = ClassLimits.MostFrequent(available);
        var classes = listed.Select(c => new ClassBudget(c, dataset.ClassNames[c], shown[c], available[c])).ToArray();
        int more = dataset.ClassCount - listed.Length;
        if (more == 0) return new BudgetPreview(labeledCount, candidates.Length, classes);
        var rest = Enumerable.Range(0, dataset.ClassCount).Except(listed).ToArray();
        return new BudgetPreview(labeledCount, candidates.Length, classes, more,
            new ClassBudget(ClassLimits.Other, $"{more} more classes", rest.Sum(c => shown[c]), rest.Sum(c => available[c])));
    }

    /// <summary>Row indices of the train items that have labels, in dataset order.</summary>
    public static int[] Candidates(FeatureDataset dataset) =>
        Enumerable.Range(0, dataset.Items.Count)
            .Where(i => dataset.Items[i].Split == Split.Train && dataset.Items[i].HasLabels)
            .ToArray();
}
