using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Evaluation;

/// <summary>
/// The standard protocol on one item set: each image queries the texts of the same items
/// (image->text) and each text queries the images (text->image). Both matrices are row-aligned with
/// <c>labels</c> and live in the same common space.
/// </summary>
public static class CrossModalEvaluator
{
    public static CrossModalReport Evaluate(
        FeatureMatrix images,
        FeatureMatrix texts,
        IReadOnlyList<IReadOnlyList<int>> labels,
        EvaluationOptions? options = null)
    {
        if (images.Rows != texts.Rows || images.Rows != labels.Count)
            throw new ArgumentException($"Images ({images.Rows} rows), texts ({texts.Rows} rows) and labels ({labels.Count}) must be row-aligned.");
        if (images.Columns != texts.Columns)
            throw new ArgumentException($"Images ({images.Columns} columns) and texts ({texts.Columns} columns) must share one common space.");
        options ??= EvaluationOptions.Default;
        options.Validate();

        var imageRows = new CosineRows(images);
        var textRows = new CosineRows(texts);
        return new CrossModalReport(
            RetrievalMetrics.Evaluate(imageRows, labels, textRows, labels, options),
            RetrievalMetrics.Evaluate(textRows, labels, imageRows, labels, options));
    }
}
