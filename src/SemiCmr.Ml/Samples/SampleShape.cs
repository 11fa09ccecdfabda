namespace SemiCmr.Ml.Samples;

/// <summary>
/// How the generated features are built from a latent class space (the knobs behind <see cref="FeatureSamples"/>;
/// the defaults were tuned so the method's relations show clearly, see FeatureSamplesTests).
/// </summary>
/// <param name="LatentDim">Dimension of the latent class space both modalities are views of.</param>
/// <param name="CentreScale">Spread of the class centres in the latent space.</param>
/// <param name="ConfusableShare">How far each odd class centre is pulled towards the even one before it (0 = independent).</param>
/// <param name="WithinSpread">Spread of an item around its class centre, shared by its image and its text.</param>
/// <param name="PrivateSpread">Latent spread each modality adds on its own (breaks the perfect pairing).</param>
/// <param name="NuisanceDim">Class-free factors shared by both modalities (style, length): correlated, but useless for retrieval.</param>
/// <param name="NuisanceScale">Spread of those shared nuisance factors.</param>
/// <param name="ImageNoise">Independent noise on every image feature before the histogram.</param>
/// <param name="TextNoise">Independent noise on every text feature before the topic softmax.</param>
/// <param name="TextSharpness">Temperature of the topic softmax: higher gives peakier topic proportions.</param>
internal sealed record SampleShape(
    int LatentDim = 12, double CentreScale = 1.6, double ConfusableShare = 0.5, double WithinSpread = 0.8,
    double PrivateSpread = 0.5, int NuisanceDim = 4, double NuisanceScale = 2.0,
    double ImageNoise = 1.0, double TextNoise = 0.5, double TextSharpness = 1.5)
{
    public static SampleShape Default { get; } = new();
}
