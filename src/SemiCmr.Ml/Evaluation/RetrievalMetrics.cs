using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Evaluation;

/// <summary>
/// Retrieval metrics of one direction (queries ranked against a database) under the standard
/// cross-modal protocol.
/// </summary>
/// <remarks>
/// Score is the cosine similarity; the ranking is by descending score with ties broken by ascending
/// database index. An item is relevant when it shares at least one label with the query.
/// Queries without labels do not take part, and neither does a query with no relevant item in the
/// database (its AP is undefined); <see cref="RetrievalReport.Queries"/> counts those that did.
/// Database items without labels are ranked but never relevant. When more than
/// <see cref="EvaluationOptions.MaxQueries"/> labeled queries could take part, a seeded sample of that many is
/// ranked (against the whole database) and <see cref="RetrievalReport.Sample"/> says so; the figures below are
/// exact for those queries.
/// <list type="bullet">
/// <item>AP = (1 / #relevant) * sum over the ranks k of relevant items of precision@k; MapAll is its mean.</item>
/// <item>MAP@R follows DSCMR's fx_calc_map_label: the same sum over the top R only, divided by the number
/// of relevant items found in the top R (0 when there is none). R = 0 means the whole ranking.</item>
/// <item>Precision@K divides the hits in the top min(K, database size) by that cut-off; the report keys
/// stay the requested K.</item>
/// <item>The precision-recall curve holds 11 points (recall 0, 0.1, ..., 1) of interpolated precision
/// (the best precision at any recall at least as large), averaged over queries.</item>
/// </list>
/// With no participating query every figure is 0 and Queries is 0.
/// </remarks>
public static class RetrievalMetrics
{
    public static RetrievalReport Evaluate(
        FeatureMatrix queries,
        IReadOnlyList<IReadOnlyList<int>> queryLabels,
        FeatureMatrix database,
        IReadOnlyList<IReadOnlyList<int>> databaseLabels,
        EvaluationOptions? options = null)
    {
        options ??= EvaluationOptions.Default;
        options.Validate();
        return Evaluate(new CosineRows(queries), queryLabels, new CosineRows(database), databaseLabels, options);
    }

    /// <summary>
    /// Mean AP (over the whole ranking) of the participating queries that carry each class, indexed by
    /// class. A class that no participating query carries gets NaN (map it to null before writing JSON).
    /// Every label must lie in [0, classCount). Above <see cref="EvaluationOptions.MaxQueries"/> labeled queries, a seeded sample of them takes part.
    /// </summary>
    public static IReadOnlyList<double> PerClassAveragePrecision(
        FeatureMatrix queries,
        IReadOnlyList<IReadOnlyList<int>> queryLabels,
        FeatureMatrix database,
        IReadOnlyList<IReadOnlyList<int>> databaseLabels,
        int classCount,
        EvaluationOptions? options = null)
    {
        options ??= EvaluationOptions.Default;
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(classCount);
        foreach (var label in queryLabels.Concat(databaseLabels).SelectMany(labels => labels))
        {
            if (label < 0 || label >= classCount)
                throw new ArgumentException($"Label {label} is outside the {classCount} classes.", nameof(classCount));
        }

        var engine = new RankingEngine(new CosineRows(database), databaseLabels, options);
        var (rows, _) = QuerySampler.Draw(queryLabels, options);
        var outcomes = engine.RankAll(new CosineRows(queries), queryLabels, rows);
        var sums = new double[classCount];
        var counts = new int[classCount];
        for (int i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i] is not { } outcome) continue;
            foreach (var label in queryLabels[rows[i]].Distinct())
            {
                sums[label] += outcome.AveragePrecision;
                counts[label]++;
            }
        }
        return Enumerable.Range(0, classCount).Select(c => counts[c] == 0 ? double.NaN : sums[c] / counts[c]).ToArray();
    }

    internal static RetrievalReport Evaluate(
        CosineRows queries,
        IReadOnlyList<IReadOnlyList<int>> queryLabels,
        CosineRows database,
        IReadOnlyList<IReadOnlyList<int>> databaseLabels,
        EvaluationOptions options)
    {
        var engine = new RankingEngine(database, databaseLabels, options);
        var (rows, sample) = QuerySampler.Draw(queryLabels, options);
        var counted = engine.RankAll(queries, queryLabels, rows).OfType<QueryOutcome>().ToList();
        var ks = options.EffectiveKs;
        var cappedKs = engine.CappedKs;
        int n = counted.Count;

        double Mean(Func<QueryOutcome, double> value) => n == 0 ? 0 : counted.Sum(value) / n;

        var precisionAtK = new Dictionary<int, double>();
        for (int i = 0; i < ks.Count; i++)
        {
            int index = i;
            precisionAtK[ks[i]] = cappedKs[i] == 0 ? 0 : Mean(o => o.HitsAtK[index] / (double)cappedKs[index]);
        }
        var curve = Enumerable.Range(0, RankingEngine.RecallLevels)
            .Select(level => new PrecisionRecallPoint(level / 10.0, Mean(o => o.InterpolatedPrecision[level])))
            .ToArray();

        return new RetrievalReport(
            Mean(o => o.AveragePrecision),
            Mean(o => o.AveragePrecisionAtR),
            options.R,
            precisionAtK,
            curve,
            n,
            sample);
    }
}
