using static TorchSharp.torch;

namespace SemiCmr.Ml.Torch;

/// <summary>
/// Eigen- and singular vectors are defined only up to sign, and which sign LAPACK returns can change between
/// builds. PCA and CCA make their directions reproducible with one rule: the largest-magnitude entry of each
/// column is positive (the first such entry when several tie, as <c>argmax</c> picks).
/// </summary>
internal static class ColumnSigns
{
    /// <summary>
    /// Negates, in place, each column of <paramref name="columns"/> whose largest-magnitude entry is negative,
    /// and the same column of <paramref name="partner"/> (CCA flips an image and a text direction together).
    /// </summary>
    public static void MakeLargestEntriesPositive(Tensor columns, Tensor? partner = null)
    {
        using var scope = NewDisposeScope();
        for (int j = 0; j < columns.shape[1]; j++)
        {
            var column = columns[.., j];
            if (column[column.abs().argmax()].item<double>() >= 0) continue;
            column.neg_();
            partner?[.., j].neg_();
        }
    }
}
