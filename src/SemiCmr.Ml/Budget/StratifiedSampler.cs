using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Budget;

/// <summary>The two stratified draws behind <see cref="LabelBudget"/>; all randomness comes from the given seeded Random.</summary>
internal static class StratifiedSampler
{
    /// <summary>Single-label: per-class quotas proportional to class size (largest remainder), at least one per class when possible.</summary>
    public static List<int> Proportional(FeatureDataset dataset, int[] candidates, int count, Random random)
    {
        var groups = Enumerable.Range(0, dataset.ClassCount).Select(_ => new List<int>()).ToArray();
        foreach (int row in candidates) groups[dataset.Items[row].Labels[0]].Add(row);

        var quotas = Quotas(groups.Select(group => group.Count).ToArray(), count);
        var chosen = new List<int>(count);
        for (int c = 0; c < groups.Length; c++)
        {
            Shuffle(groups[c], random);
            chosen.AddRange(groups[c].Take(quotas[c]));
        }
        return chosen;
    }

    /// <summary>
    /// Multi-label: classes from rarest to most frequent each get candidates carrying them until their
    /// proportional quota (at least one) is met, counting items already chosen for rarer classes; the rest
    /// is filled at random.
    /// </summary>
    public static List<int> RareLabelsFirst(FeatureDataset dataset, int[] candidates, int count, Random random)
    {
        var order = candidates.ToList();
        Shuffle(order, random);
        var carrying = Enumerable.Range(0, dataset.ClassCount).Select(_ => new List<int>()).ToArray();
        foreach (int row in order)
        {
            foreach (int label in dataset.Items[row].Labels) carrying[label].Add(row);
        }

        var chosen = new List<int>(count);
        var selected = new HashSet<int>();
        var have = new int[dataset.ClassCount];
        void Select(int row)
        {
            selected.Add(row);
            chosen.Add(row);
            foreach (int label in dataset.Items[row].Labels) have[label]++;
        }

        var rarestFirst = Enumerable.Range(0, dataset.ClassCount)
            .Where(c => carrying[c].Count > 0)
            .OrderBy(c => carrying[c].Count).ThenBy(c => c);
        foreach (int c in rarestFirst)
        {
            double exact = (double)count * carrying[c].Count / candidates.Length;
            int quota = Math.Max(1, (int)Math.Round(exact, MidpointRounding.AwayFromZero));
            foreach (int row in carrying[c])
            {
                if (chosen.Count == count || have[c] >= quota) break;
                if (!selected.Contains(row)) Select(row);
            }
        }
        foreach (int row in order)
        {
            if (chosen.Count == count) break;
            if (!selected.Contains(row)) Select(row);
        }
        return chosen;
    }

    /// <summary>
    /// Largest-remainder apportionment of <paramref name="count"/> over classes of the given sizes; when
    /// <paramref name="count"/> allows, every non-empty class gets one, taken from the class furthest above its exact share.
    /// </summary>
    internal static int[] Quotas(int[] sizes, int count)
    {
        long total = sizes.Sum(size => (long)size);
        var quotas = new int[sizes.Length];
        var remainders = new long[sizes.Length];
        for (int c = 0; c < sizes.Length; c++)
        {
            quotas[c] = (int)((long)count * sizes[c] / total);
            remainders[c] = (long)count * sizes[c] % total;
        }
        int left = count - quotas.Sum();
        foreach (int c in Enumerable.Range(0, sizes.Length).OrderByDescending(c => remainders[c]).ThenBy(c => c).Take(left))
            quotas[c]++;

        int present = sizes.Count(size => size > 0);
        if (count < present) return quotas;
        for (int c = 0; c < sizes.Length; c++)
        {
            if (sizes[c] == 0 || quotas[c] > 0) continue;
            // Surplus over the exact share, scaled by total to stay in integers.
            int donor = Enumerable.Range(0, sizes.Length).Where(d => quotas[d] > 1)
                .MaxBy(d => (long)quotas[d] * total - (long)count * sizes[d]);
            quotas[donor]--;
            quotas[c] = 1;
        }
        return quotas;
    }

    private static void Shuffle(List<int> list, Random random)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
