namespace SemiCmr.Ml.Evaluation;

/// <summary>
/// Scores from <c>high</c> down to <c>low</c> cut into <c>count</c> buckets of equal width. Rounding is
/// monotone, so a lower score never lands in a lower bucket: bucket order agrees with ranking order.
/// </summary>
internal readonly struct ScoreBuckets
{
    private readonly double _high, _perUnit;

    public ScoreBuckets(float high, float low, int count)
    {
        double perUnit = count / ((double)high - low);
        _high = high;
        // No spread (or one too small to divide by): a single bucket, searched by bisection.
        _perUnit = double.IsFinite(perUnit) && perUnit > 0 ? perUnit : 0;
        Count = count;
    }

    public int Count { get; }

    /// <summary>The bucket of a score; scores above high share the first bucket, scores below low the last.</summary>
    public int Of(float score) => _perUnit == 0 ? 0 : (int)Math.Clamp((_high - score) * _perUnit, 0, Count - 1);
}
