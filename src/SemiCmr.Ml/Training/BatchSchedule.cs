using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training;

/// <summary>
/// Seeded shuffles of a set of rows, drawn on the training device: one permutation per epoch,
/// split into batches without leaving the device. Call <see cref="Epoch"/> inside an epoch-level
/// dispose scope; the batches live until that scope ends.
/// </summary>
internal sealed class BatchSchedule(Tensor rows, int batchSize, Generator generator) : IDisposable
{
    public long Count => rows.shape[0];

    public Tensor[] Epoch()
    {
        var order = randperm(Count, generator: generator, device: rows.device);
        return rows.index_select(0, order).split(batchSize);
    }

    public void Dispose() => rows.Dispose();
}
