namespace SemiCmr.Ml.Training.Cca;

/// <summary>
/// Everything a fitted CCA needs to project new items, as plain arrays for checkpoints.
/// Projections are row-major: ImageProjection is ImageDimension x Dimensions, TextProjection is
/// TextDimension x Dimensions. Correlations are the canonical correlations, largest first.
/// </summary>
public sealed record CcaState(
    int ImageDimension,
    int TextDimension,
    int Dimensions,
    double Regularization,
    float[] ImageMean,
    float[] TextMean,
    float[] ImageProjection,
    float[] TextProjection,
    double[] Correlations)
{
    /// <summary>Throws when the arrays do not fit the stated dimensions (a damaged or hand-edited checkpoint).</summary>
    public void Validate()
    {
        static void Check(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"CCA state is inconsistent: {what}.");
        }
        Check(ImageDimension > 0 && TextDimension > 0, "feature dimensions must be positive");
        Check(Dimensions > 0 && Dimensions <= Math.Min(ImageDimension, TextDimension), "dimensions must be in [1, min(image, text)]");
        Check(ImageMean.Length == ImageDimension, "image mean length");
        Check(TextMean.Length == TextDimension, "text mean length");
        Check(ImageProjection.Length == ImageDimension * Dimensions, "image projection size");
        Check(TextProjection.Length == TextDimension * Dimensions, "text projection size");
        Check(Correlations.Length == Dimensions, "correlation count");
    }
}
