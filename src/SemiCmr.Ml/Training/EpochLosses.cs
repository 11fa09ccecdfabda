using SemiCmr.Ml.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training;

/// <summary>
/// Sums loss terms over an epoch on the training device, so that reading them costs one copy per
/// epoch instead of one per batch.
/// </summary>
internal sealed class EpochLosses(string[] names, Device device) : IDisposable
{
    private readonly Tensor _sums = zeros(names.Length, dtype: ScalarType.Float64, device: device);
    private int _batches;

    /// <summary>Adds one batch's terms (a 1-D tensor in the order of the names).</summary>
    public void Add(Tensor terms)
    {
        using var detached = terms.detach().to(ScalarType.Float64);
        _sums.PlusInPlace(detached);
        _batches++;
    }

    /// <summary>Mean of each term over the epoch's batches; resets the sums.</summary>
    public IReadOnlyDictionary<string, double> TakeMeans()
    {
        using var cpu = _sums.cpu();
        var sums = cpu.data<double>().ToArray();
        _sums.zero_();
        int batches = Math.Max(1, _batches);
        _batches = 0;
        return names.Select((name, i) => (name, value: sums[i] / batches)).ToDictionary(p => p.name, p => p.value);
    }

    public void Dispose() => _sums.Dispose();
}
