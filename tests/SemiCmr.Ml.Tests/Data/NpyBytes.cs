using System.Buffers.Binary;
using System.Text;

namespace SemiCmr.Ml.Tests.Data;

/// <summary>Builds .npy files byte by byte the way numpy lays them out, independently of the reader under test.</summary>
internal static class NpyBytes
{
    public static byte[] File(string descr, bool fortranOrder, string shape, byte[] data, int major = 1)
        => FromDictionary($"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shape}, }}", data, major);

    public static byte[] FromDictionary(string dict, byte[] data, int major = 1)
    {
        int preamble = major == 1 ? 10 : 12;
        int padding = 63 - (preamble + dict.Length) % 64;
        var header = Encoding.ASCII.GetBytes(dict + new string(' ', padding) + "\n");
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add((byte)major);
        bytes.Add(0);
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(header);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    /// <summary>float32 little-endian data of a rows x columns matrix, in C (row-major) or Fortran (column-major) order.</summary>
    public static byte[] Float32(float[,] values, bool fortranOrder) =>
        Elements(values, fortranOrder).SelectMany(v =>
        {
            var b = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(b, v);
            return b;
        }).ToArray();

    public static byte[] Float64(double[,] values, bool fortranOrder) =>
        Elements(values, fortranOrder).SelectMany(v =>
        {
            var b = new byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(b, v);
            return b;
        }).ToArray();

    public static string Shape<T>(T[,] values) => $"({values.GetLength(0)}, {values.GetLength(1)})";

    private static IEnumerable<T> Elements<T>(T[,] values, bool fortranOrder)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        if (fortranOrder)
        {
            for (int c = 0; c < columns; c++)
                for (int r = 0; r < rows; r++) yield return values[r, c];
        }
        else
        {
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++) yield return values[r, c];
        }
    }
}
