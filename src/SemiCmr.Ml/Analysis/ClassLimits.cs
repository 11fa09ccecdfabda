namespace SemiCmr.Ml.Analysis;

/// <summary>
/// How many classes a report lists. Per-class results grow with the number of classes (a dataset whose items each
/// carry their own label has thousands) and a confusion matrix with its square: a 2,866-class run page once took
/// the server from 2 to 8 GB. Reports therefore keep the most frequent classes and summarise the rest.
/// </summary>
public static class ClassLimits
{
    /// <summary>Rows of a per-class table, bars of a class chart, rows and columns of a confusion matrix (then "other").</summary>
    public const int MaxShown = 25;

    /// <summary>The row of a per-class table that stands for every class not listed.</summary>
    public const int Other = -1;

    /// <summary>
    /// Indices of the <paramref name="max"/> classes with the largest counts (ties to the lower index), in class order
    /// so a table reads as the dataset defines it; a dataset with at most max classes gets all of them.
    /// </summary>
    public static int[] MostFrequent(IReadOnlyList<int> counts, int max = MaxShown)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return [.. Enumerable.Range(0, counts.Count).OrderByDescending(c => counts[c]).ThenBy(c => c).Take(max).Order()];
    }
}

/// <summary>
/// The rows a report shows of a per-class table: at most <see cref="ClassLimits.MaxShown"/> classes (the most
/// frequent, in class order), then <paramref name="Rest"/> summarising the <paramref name="MoreClasses"/> classes left out (its Class is
/// <see cref="ClassLimits.Other"/>; null when nothing was left out).
/// </summary>
public sealed record ClassTable<T>(IReadOnlyList<T> Rows, int MoreClasses, T? Rest) where T : class;
