namespace SemiCmr.Ml.Samples;

/// <summary>Turns raw linear features into the shapes of the Wikipedia features.</summary>
internal static class SampleTransforms
{
    /// <summary>Bag-of-visual-words-like histogram: softplus makes non-negative counts, then they sum to 1.</summary>
    public static void Histogram(ReadOnlySpan<double> raw, Span<float> output)
    {
        double total = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            double x = raw[i];
            double count = x > 20 ? x : Math.Log(1 + Math.Exp(x)); // softplus, without overflow
            output[i] = (float)count;
            total += count;
        }
        for (int i = 0; i < output.Length; i++) output[i] = (float)(output[i] / total);
    }

    /// <summary>LDA-like topic proportions: a softmax with the given sharpness.</summary>
    public static void Topics(ReadOnlySpan<double> raw, double sharpness, Span<float> output)
    {
        double max = double.NegativeInfinity;
        foreach (double x in raw) max = Math.Max(max, x);
        double total = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            double e = Math.Exp(sharpness * (raw[i] - max));
            output[i] = (float)e;
            total += e;
        }
        for (int i = 0; i < output.Length; i++) output[i] = (float)(output[i] / total);
    }
}
