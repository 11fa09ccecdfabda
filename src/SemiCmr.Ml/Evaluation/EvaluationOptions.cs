namespace SemiCmr.Ml.Evaluation;

/// <summary>
/// What retrieval evaluation reports besides MAP over the whole ranking: MAP@R (R = 0 means the whole
/// ranking) and precision at each K in <see cref="Ks"/> (default 1, 5, 10, 50).
/// </summary>
public sealed record EvaluationOptions(int R = 0, IReadOnlyList<int>? Ks = null)
{
    public static IReadOnlyList<int> DefaultKs { get; } = [1, 5, 10, 50];

    public static EvaluationOptions Default { get; } = new();

    public IReadOnlyList<int> EffectiveKs => Ks ?? DefaultKs;

    internal void Validate()
    {
        if (R < 0) throw new ArgumentOutOfRangeException(nameof(R), R, "R must be 0 (the whole ranking) or more.");
        foreach (var k in EffectiveKs)
        {
            if (k < 1) throw new ArgumentOutOfRangeException(nameof(Ks), k, "Every K must be at least 1.");
        }
    }
}
