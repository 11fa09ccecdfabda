using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Evaluation;

/// <summary>Builders for small retrieval cases whose ranking is known by construction.</summary>
internal static class Rankings
{
    public static FeatureMatrix Matrix(params float[][] rows) =>
        new(rows.SelectMany(row => row).ToArray(), rows.Length, rows.Length == 0 ? 0 : rows[0].Length);

    /// <summary>The query (1, 0) used with <see cref="DatabaseInRankOrder"/>.</summary>
    public static FeatureMatrix Query => Matrix([1f, 0f]);

    /// <summary>
    /// A 2-d database whose item i sits at angle 0.1 * i from (1, 0), so against <see cref="Query"/>
    /// the ranking is item 0, 1, 2, ... with strictly decreasing cosine.
    /// </summary>
    public static FeatureMatrix DatabaseInRankOrder(int items) =>
        Matrix(Enumerable.Range(0, items).Select(i => new[] { (float)Math.Cos(0.1 * i), (float)Math.Sin(0.1 * i) }).ToArray());

    public static IReadOnlyList<IReadOnlyList<int>> Labels(params int[][] labels) => labels;

    public static IReadOnlyList<IReadOnlyList<int>> SingleLabels(params int[] labels) =>
        labels.Select(label => (IReadOnlyList<int>)[label]).ToArray();
}
