namespace SemiCmr.Ml.Evaluation;

/// <summary>Interpolated precision at a recall level, averaged over queries.</summary>
public sealed record PrecisionRecallPoint(double Recall, double Precision);

/// <summary>
/// Metrics of one retrieval direction. MapAll ranks the whole database; MapAtR only the top R
/// (R = 0 means all, then it equals MapAll). Queries counts the queries that took part
/// (labeled queries with at least one relevant item in the database). Sample says how many of the labeled
/// queries were ranked when there were too many to rank them all; null when every one was.
/// </summary>
public sealed record RetrievalReport(
    double MapAll,
    double MapAtR,
    int R,
    IReadOnlyDictionary<int, double> PrecisionAtK,
    IReadOnlyList<PrecisionRecallPoint> PrecisionRecall,
    int Queries,
    QuerySample? Sample = null);

/// <summary>Both directions of the standard protocol: images query texts, texts query images.</summary>
public sealed record CrossModalReport(RetrievalReport ImageToText, RetrievalReport TextToImage)
{
    public double MeanMap => (ImageToText.MapAll + TextToImage.MapAll) / 2;
}
