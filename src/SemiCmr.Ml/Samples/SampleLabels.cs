namespace SemiCmr.Ml.Samples;

/// <summary>
/// Labels of generated items. Classes go round-robin over the labeled items of a split, so every class
/// occurs as soon as a split has as many labeled items as classes; unlabeled items are spread evenly.
/// </summary>
internal static class SampleLabels
{
    /// <summary>
    /// Item <paramref name="index"/> is unlabeled when floor(k x share) steps up at k = index + 1: exactly
    /// floor(n x share) of n items, evenly spread, with no random draw (so the count is known up front).
    /// </summary>
    public static bool IsUnlabeled(int index, double share) =>
        Math.Floor((index + 1) * share) > Math.Floor(index * share);

    public static int LabeledCount(int items, double share) => items - (int)Math.Floor(items * share);

    /// <summary>Labels of every item of one split, in order; an empty array marks an unlabeled item.</summary>
    public static int[][] ForSplit(int items, FeatureSampleSpec spec, Random random)
    {
        var labels = new int[items][];
        int labeled = 0;
        for (int i = 0; i < items; i++)
        {
            if (SampleLabels.IsUnlabeled(i, spec.UnlabeledShare))
            {
                labels[i] = [];
                continue;
            }
            int primary = labeled++ % spec.Classes;
            labels[i] = spec.MultiLabel ? WithExtras(primary, spec.Classes, random) : [primary];
        }
        return labels;
    }

    /// <summary>1-3 labels: the primary class plus 0, 1 or 2 others (40% / 40% / 20%), sorted.</summary>
    private static int[] WithExtras(int primary, int classes, Random random)
    {
        double draw = random.NextDouble();
        int extras = Math.Min(draw < 0.4 ? 0 : draw < 0.8 ? 1 : 2, classes - 1);
        var chosen = new List<int>(3) { primary };
        while (chosen.Count < 1 + extras)
        {
            int other = random.Next(classes);
            if (!chosen.Contains(other)) chosen.Add(other);
        }
        chosen.Sort();
        return [.. chosen];
    }
}
