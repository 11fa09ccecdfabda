namespace SemiCmr.Ml.Samples;

/// <summary>
/// The hidden model behind one sample: class centres in a latent space, and one random linear map per
/// modality from [latent class position; shared nuisance factors] to that modality's raw features.
/// Both modalities see the same item position, so unlabeled pairs carry information a method can use.
/// </summary>
internal sealed class SampleWorld
{
    private readonly FeatureSampleSpec spec;
    private readonly SampleShape shape;
    private readonly double[][] centres;
    private readonly double[] imageMap;
    private readonly double[] textMap;
    private readonly int inputs;

    public SampleWorld(FeatureSampleSpec spec, SampleShape shape, GaussianSource gaussian)
    {
        this.spec = spec;
        this.shape = shape;
        inputs = shape.LatentDim + shape.NuisanceDim;
        centres = new double[spec.Classes][];
        for (int c = 0; c < spec.Classes; c++)
        {
            centres[c] = new double[shape.LatentDim];
            gaussian.Fill(centres[c], shape.CentreScale);
        }
        // Confusable pairs (like Wikipedia's history / warfare): each odd class leans towards the even one before it.
        for (int c = 1; c < spec.Classes; c += 2)
        {
            for (int d = 0; d < shape.LatentDim; d++)
                centres[c][d] = (1 - shape.ConfusableShare) * centres[c][d] + shape.ConfusableShare * centres[c - 1][d];
        }
        imageMap = gaussian.Map(spec.ImageDim, inputs);
        textMap = gaussian.Map(spec.TextDim, inputs);
    }

    /// <summary>Writes the image and text features of one item with these labels (none: the background at the origin).</summary>
    public void Item(IReadOnlyList<int> labels, GaussianSource gaussian, Span<float> image, Span<float> text)
    {
        Span<double> position = stackalloc double[shape.LatentDim];
        gaussian.Fill(position, shape.WithinSpread);
        // Multi-label items sit at the mean of their label centres, so each label pulls the features its way.
        foreach (int label in labels)
        {
            for (int d = 0; d < position.Length; d++) position[d] += centres[label][d] / labels.Count;
        }
        Span<double> nuisance = stackalloc double[shape.NuisanceDim];
        gaussian.Fill(nuisance, shape.NuisanceScale);

        Span<double> input = stackalloc double[inputs];
        View(position, nuisance, gaussian, input);
        Span<double> raw = stackalloc double[Math.Max(spec.ImageDim, spec.TextDim)];
        Project(imageMap, input, gaussian, shape.ImageNoise, raw[..spec.ImageDim]);
        SampleTransforms.Histogram(raw[..spec.ImageDim], image);
        View(position, nuisance, gaussian, input);
        Project(textMap, input, gaussian, shape.TextNoise, raw[..spec.TextDim]);
        SampleTransforms.Topics(raw[..spec.TextDim], shape.TextSharpness, text);
    }

    /// <summary>One modality's view: the shared position plus private latent noise, then the shared nuisance.</summary>
    private void View(ReadOnlySpan<double> position, ReadOnlySpan<double> nuisance, GaussianSource gaussian, Span<double> input)
    {
        for (int d = 0; d < position.Length; d++) input[d] = position[d] + shape.PrivateSpread * gaussian.Next();
        nuisance.CopyTo(input[position.Length..]);
    }

    private void Project(double[] map, ReadOnlySpan<double> input, GaussianSource gaussian, double noise, Span<double> output)
    {
        for (int r = 0; r < output.Length; r++)
        {
            double sum = noise * gaussian.Next();
            var row = map.AsSpan(r * inputs, inputs);
            for (int c = 0; c < inputs; c++) sum += row[c] * input[c];
            output[r] = sum;
        }
    }
}
