using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;

namespace SemiCmr.Ml.Analysis;

/// <summary>
/// Retrieval AP of one class in both directions (the mean over the test queries carrying it); null where no query
/// carries the class. For the <see cref="ClassLimits.Other"/> row: the mean over the classes left out that have queries.
/// </summary>
public sealed record ClassAveragePrecision(int Class, double? ImageToText, double? TextToImage, int Queries = 0);

public static class ClassRetrieval
{
    /// <summary>
    /// Per-class AP under the standard protocol on row-aligned test embeddings (images query texts and texts query
    /// images), for the <paramref name="maxClasses"/> classes with the most test queries; the rest summarised.
    /// </summary>
    public static ClassTable<ClassAveragePrecision> Compute(
        FeatureMatrix images, FeatureMatrix texts, IReadOnlyList<IReadOnlyList<int>> labels, int classCount, int maxClasses = ClassLimits.MaxShown)
    {
        var i2t = RetrievalMetrics.PerClassAveragePrecision(images, labels, texts, labels, classCount);
        var t2i = RetrievalMetrics.PerClassAveragePrecision(texts, labels, images, labels, classCount);
        var queries = new int[classCount];
        foreach (var itemLabels in labels)
            foreach (var c in itemLabels.Distinct()) queries[c]++;

        var shown = ClassLimits.MostFrequent(queries, maxClasses);
        var rows = shown.Select(c => new ClassAveragePrecision(c, OrNull(i2t[c]), OrNull(t2i[c]), queries[c])).ToList();
        int more = classCount - shown.Length;
        if (more == 0) return new ClassTable<ClassAveragePrecision>(rows, 0, null);

        var listed = shown.ToHashSet();
        var rest = Enumerable.Range(0, classCount).Where(c => !listed.Contains(c)).ToList();
        return new ClassTable<ClassAveragePrecision>(rows, more, new ClassAveragePrecision(ClassLimits.Other,
            Mean(rest.Select(c => i2t[c])), Mean(rest.Select(c => t2i[c])), rest.Sum(c => queries[c])));
    }

    private static double? OrNull(double value) => double.IsNaN(value) ? null : value;

    private static double? Mean(IEnumerable<double> values)
    {
        var known = values.Where(v => !double.IsNaN(v)).ToList();
        return known.Count == 0 ? null : known.Average();
    }
}
