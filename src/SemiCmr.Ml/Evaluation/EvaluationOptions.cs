namespace SemiCmr.Ml.Evaluation;

/// <summary>
/// What retrieval evaluation reports besides MAP over the whole ranking: MAP@R (R = 0 means the whole
/// ranking) and precision at each K in <see cref="Ks"/> (default 1, 5, 10, 50). When more than
/// <see cref="MaxQueries"/> labeled queries could take part, a sample of that many (drawn with
/// <see cref="Seed"/>) is ranked against the whole database instead; every metric stays exact for those queries.
/// </summary>
public sealed record EvaluationOptions(int R = 0, IReadOnlyList<int>? Ks = null, int MaxQueries = EvaluationOptions.DefaultMaxQueries, int Seed = 0)
{
    /// <summary>
    /// 5,000 queries: a MAP over that many has a standard error of about 0.003 (per-query AP spreads by about
    /// 0.2), and at 100,000 test items both directions rank in well under a minute on two busy cores
    /// (`semicmr perf evaluation`). Ranking costs queries x database items, so this bounds it at any size.
    /// </summary>
    public const int DefaultMaxQueries = 5_000;

    public static IReadOnlyList<int> DefaultKs { get; } = [1, 5, 10, 50];

    public static EvaluationOptions Default { get; } = new();

    public IReadOnlyList<int> EffectiveKs => Ks ?? DefaultKs;

    internal void Validate()
    {
        if (R < 0) throw new ArgumentOutOfRangeException(nameof(R), R, "R must be 0 (the whole ranking) or more.");
        if (MaxQueries < 1) throw new ArgumentOutOfRangeException(nameof(MaxQueries), MaxQueries, "MaxQueries must be at least 1.");
        foreach (var k in EffectiveKs)
        {
            if (k < 1) throw new ArgumentOutOfRangeException(nameof(Ks), k, "Every K must be at least 1.");
        }
    }
}
