using System.Numerics.Tensors;
using SemiCmr.Ml.Search;

namespace SemiCmr.Ml.Tests.Search;

/// <summary>The reference ranking: every allowed row scored one by one (the same dot product, so scores compare exactly), sorted by score then row.</summary>
internal static class NaiveScan
{
    public static List<VectorHit> Rank(ExactIndex index, float[] query, Func<int, bool>? allowed = null)
    {
        var normalised = (float[])query.Clone();
        TensorPrimitives.Divide(normalised, TensorPrimitives.Norm(normalised), normalised);
        var hits = new List<VectorHit>();
        for (int row = 0; row < index.Count; row++)
            if (allowed?.Invoke(row) ?? true)
                hits.Add(new VectorHit(row, TensorPrimitives.Dot(normalised, index.Row(row))));
        return hits.OrderByDescending(h => h.Score).ThenBy(h => h.Row).ToList();
    }

    public static float[] Row(float[] values, int dimensions, int row) => values.AsSpan(row * dimensions, dimensions).ToArray();
}
