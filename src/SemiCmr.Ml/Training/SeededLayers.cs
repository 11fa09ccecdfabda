using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training;

/// <summary>
/// Linear layers initialised from a run's own generator. TorchSharp's Linear constructor draws from
/// libtorch's process-wide generator, which a concurrent run or a model loaded for a search also draws
/// from, so the same seed could give different weights. The draws are those of that constructor
/// (libtorch's kaiming_uniform_ with a = sqrt(5), then a uniform bias), so a generator seeded like the
/// global one gives the same weights bit for bit.
/// </summary>
internal static class SeededLayers
{
    /// <param name="generator">The run's generator; null leaves zeros for a checkpoint to overwrite.</param>
    public static Linear Linear(long inputs, long outputs, Generator? generator)
    {
        var weight = zeros(outputs, inputs);
        var bias = zeros(outputs);
        if (generator is not null)
        {
            // torch::nn::init::kaiming_uniform_: gain = sqrt(2 / (1 + a^2)), std = gain / sqrt(fan_in), bound = sqrt(3) * std.
            double a = Math.Sqrt(5);
            double gain = Math.Sqrt(2.0 / (1 + Math.Pow(a, 2)));
            double weightBound = Math.Sqrt(3.0) * (gain / Math.Sqrt(inputs));
            weight.uniform_(-weightBound, weightBound, generator);
            double biasBound = inputs > 0 ? 1 / Math.Sqrt(inputs) : 0;
            bias.uniform_(-biasBound, biasBound, generator);
        }
        return nn.Linear(weight.AsParameter(), bias.AsParameter());
    }
}
