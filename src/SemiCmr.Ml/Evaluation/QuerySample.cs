namespace SemiCmr.Ml.Evaluation;

/// <summary>
/// A report ranked a seeded sample of <see cref="Ranked"/> of its <see cref="Of"/> labeled queries
/// (there were more than <see cref="EvaluationOptions.MaxQueries"/>).
/// </summary>
public sealed record QuerySample(int Ranked, int Of);

internal static class QuerySampler
{
    /// <summary>
    /// The query rows to rank, ascending: every labeled one (unlabeled queries never take part), or a sample
    /// of <see cref="EvaluationOptions.MaxQueries"/> of them drawn with the options' seed, which a labeled
    /// query set of the same size always draws the same way.
    /// </summary>
    public static (int[] Rows, QuerySample? Sample) Draw(IReadOnlyList<IReadOnlyList<int>> queryLabels, EvaluationOptions options)
    {
        var labeled = Enumerable.Range(0, queryLabels.Count).Where(q => queryLabels[q].Count > 0).ToArray();
        if (labeled.Length <= options.MaxQueries) return (labeled, null);

        // A partial Fisher-Yates shuffle: the first MaxQueries places end up a uniform sample.
        var random = new Random(options.Seed);
        for (int i = 0; i < options.MaxQueries; i++)
        {
            int j = random.Next(i, labeled.Length);
            (labeled[i], labeled[j]) = (labeled[j], labeled[i]);
        }
        var rows = labeled[..options.MaxQueries];
        Array.Sort(rows);
        return (rows, new QuerySample(rows.Length, labeled.Length));
    }
}
