using SemiCmr.Ml.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training;

/// <summary>
/// Dropout whose mask comes from the run's generator (TorchSharp's dropout has no generator parameter and
/// draws from the process-wide one). It is libtorch's CPU dropout step for step: a Bernoulli(1 - p) mask
/// divided by 1 - p, times the input, so with a generator in the same state the result is bit-identical.
/// Has no parameters or buffers, so checkpoints are unchanged.
/// </summary>
internal sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _rate;
    private readonly Generator? _generator;

    /// <param name="generator">The run's generator; null for a network that is only evaluated.</param>
    public SeededDropout(double rate, Generator? generator) : base("dropout")
    {
        if (rate < 0 || rate > 1) throw new ArgumentOutOfRangeException(nameof(rate), rate, "Dropout rate must be in [0, 1].");
        _rate = rate;
        _generator = generator;
    }

    public override Tensor forward(Tensor input)
    {
        if (_rate == 0 || !training || input.numel() == 0) return input;
        if (_generator is null || _generator.Handle == IntPtr.Zero)
            throw new InvalidOperationException("Dropout in training needs the run's generator (a null or disposed generator would draw from the global one).");
        using Scalar keep = (1 - _rate).ToScalar();
        if (_rate == 1)
        {
            using var zero = zeros([], input.dtype, input.device);
            return input.mul(zero);
        }
        // The generator is a CPU one; on another device the mask is drawn on the CPU and moved.
        using var cpuNoise = input.device_type == DeviceType.CPU ? empty_like(input) : empty(input.shape, input.dtype, CPU);
        cpuNoise.bernoulli_(1 - _rate, _generator).div_(keep);
        using var noise = cpuNoise.to(input.device);
        return input.mul(noise);
    }
}
