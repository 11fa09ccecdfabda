using SemiCmr.Ml.Data;
using SemiCmr.Ml.Evaluation;

namespace SemiCmr.Ml.Analysis;

/// <summary>Retrieval AP of one class in both directions; null where no test query carries the class.</summary>
public sealed record ClassAveragePrecision(int Class, double? ImageToText, double? TextToImage);

public static class ClassRetrieval
{
    /// <summary>
    /// Per-class AP under the standard protocol on row-aligned test embeddings: images query texts and texts query images.
    /// </summary>
    public static IReadOnlyList<ClassAveragePrecision> Compute(
        FeatureMatrix images, FeatureMatrix texts, IReadOnlyList<IReadOnlyList<int>> labels, int classCount)
    {
        var i2t = RetrievalMetrics.PerClassAveragePrecision(images, labels, texts, labels, classCount);
        var t2i = RetrievalMetrics.PerClassAveragePrecision(texts, labels, images, labels, classCount);
        return Enumerable.Range(0, classCount)
            .Select(c => new ClassAveragePrecision(c, double.IsNaN(i2t[c]) ? null : i2t[c], double.IsNaN(t2i[c]) ? null : t2i[c]))
            .ToList();
    }
}
