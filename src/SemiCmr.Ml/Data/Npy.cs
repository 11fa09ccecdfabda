using System.Runtime.InteropServices;

namespace SemiCmr.Ml.Data;

/// <summary>
/// Reads and writes 2-D float matrices in numpy's .npy format. Reading accepts format versions 1.0-3.0,
/// little-endian float32 or float64 (converted to float32), in C or Fortran order; writing produces what
/// <c>numpy.save</c> produces for a C-order float32 array.
/// </summary>
public static class Npy
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads a matrix; refuses anything else with a <see cref="DatasetValidationException"/> naming the file.</summary>
    public static FeatureMatrix Read(string path)
    {
        var problems = new List<DatasetProblem>();
        return TryRead(path, path, problems) ?? throw new DatasetValidationException(problems);
    }

    /// <summary>Reads a matrix, or adds what is wrong to <paramref name="problems"/> (reported under <paramref name="file"/>) and returns null.</summary>
    internal static FeatureMatrix? TryRead(string path, string file, List<DatasetProblem> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add(new DatasetProblem(file, null, null, "the file is missing"));
            return null;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var header = NpyHeader.Parse(stream, file, problems);
        if (header is null) return null;

        long expected = (long)header.Rows * header.Columns * header.ItemSize;
        long actual = stream.Length - header.DataOffset;
        if (actual != expected)
        {
            string what = actual < expected ? "is truncated" : "has extra bytes after the data";
            problems.Add(new DatasetProblem(file, null, null,
                $"the data {what}: shape ({header.Rows}, {header.Columns}) needs {expected} bytes, the file holds {actual}"));
            return null;
        }

        stream.Position = header.DataOffset;
        var values = new float[(long)header.Rows * header.Columns];
        // Fortran order is column-major: read it as a columns x rows matrix, then transpose into rows.
        var fileOrder = header.FortranOrder ? new float[values.LongLength] : values;
        if (header.ItemSize == 4)
            stream.ReadExactly(MemoryMarshal.AsBytes(fileOrder.AsSpan()));
        else
            ReadFloat64(stream, fileOrder);
        if (header.FortranOrder)
            Transpose(fileOrder, values, header.Rows, header.Columns);
        return new FeatureMatrix(values, header.Rows, header.Columns);
    }

    private static void ReadFloat64(Stream stream, float[] target)
    {
        var buffer = new byte[ChunkBytes];
        for (int done = 0; done < target.Length;)
        {
            int count = Math.Min(target.Length - done, buffer.Length / sizeof(double));
            var bytes = buffer.AsSpan(0, count * sizeof(double));
            stream.ReadExactly(bytes);
            var source = MemoryMarshal.Cast<byte, double>(bytes);
            var chunk = target.AsSpan(done, count);
            for (int i = 0; i < count; i++) chunk[i] = (float)source[i];
            done += count;
        }
    }

    /// <summary>Column-major to row-major, in tiles so both sides stay in cache (an untiled scatter was about 8x slower on 100k x 512).</summary>
    private static void Transpose(float[] columnMajor, float[] rowMajor, int rows, int columns)
    {
        const int Tile = 32;
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(r0 + Tile, rows);
            for (int c0 = 0; c0 < columns; c0 += Tile)
            {
                int c1 = Math.Min(c0 + Tile, columns);
                for (int r = r0; r < r1; r++)
                {
                    long target = (long)r * columns;
                    for (int c = c0; c < c1; c++) rowMajor[target + c] = columnMajor[(long)c * rows + r];
                }
            }
        }
    }

    /// <summary>Writes a C-order float32 .npy file (version 1.0) that numpy.load reads back unchanged.</summary>
    public static void Write(string path, FeatureMatrix matrix)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(NpyHeader.Format(matrix.Rows, matrix.Columns));
        stream.Write(MemoryMarshal.AsBytes(matrix.Values.AsSpan()));
    }
}
