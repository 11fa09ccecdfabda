using SemiCmr.Ml.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SemiCmr.Ml.Training;

internal static class TensorConversions
{
    public static Tensor ToTensor(this FeatureMatrix matrix, Device device) =>
        tensor(matrix.Values, [matrix.Rows, matrix.Columns], device: device);

    public static FeatureMatrix ToMatrix(this Tensor tensor)
    {
        using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        return new FeatureMatrix(cpu.data<float>().ToArray(), (int)cpu.shape[0], (int)cpu.shape[1]);
    }

    /// <summary>Label indices as a multi-hot matrix [rows x classes].</summary>
    public static float[] MultiHot(IEnumerable<IReadOnlyList<int>> labels, int classes)
    {
        var list = labels.ToList();
        var values = new float[list.Count * classes];
        for (int i = 0; i < list.Count; i++)
            foreach (int label in list[i]) values[i * classes + label] = 1f;
        return values;
    }

    public static Tensor Indices(IReadOnlyList<int> rows, Device device) =>
        tensor(rows.Select(r => (long)r).ToArray(), device: device);
}
