using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SemiCmr.Ml.Data;

/// <summary>The parsed header of a 2-D little-endian float .npy file.</summary>
internal sealed record NpyHeader(int DataOffset, int ItemSize, bool FortranOrder, int Rows, int Columns)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Parses the header at the start of <paramref name="stream"/>; returns null and adds a problem when it is unusable.</summary>
    public static NpyHeader? Parse(Stream stream, string file, List<DatasetProblem> problems)
    {
        Span<byte> preamble = stackalloc byte[12];
        int read = stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false);
        if (read < 10 || !preamble[..6].SequenceEqual(Magic))
            return Fail(file, problems, "is not a .npy file (the magic string \\x93NUMPY is missing)");

        byte major = preamble[6], minor = preamble[7];
        int lengthBytes = major switch { 1 => 2, 2 or 3 => 4, _ => 0 };
        if (lengthBytes == 0 || minor != 0 || read < 8 + lengthBytes)
            return Fail(file, problems, $"npy format version {major}.{minor} is not supported: use version 1.0, 2.0 or 3.0");

        long headerLength = lengthBytes == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..10])
            : BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..12]);
        int offset = 8 + lengthBytes;
        if (offset + headerLength > stream.Length || headerLength > 1 << 20)
            return Fail(file, problems, "the header is truncated");

        var headerBytes = new byte[headerLength];
        stream.Position = offset;
        stream.ReadExactly(headerBytes);
        // Version 1.0 and 2.0 headers are latin-1; 3.0 allows UTF-8. Keys and values we accept are ASCII either way.
        string text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        return ParseDictionary(text, checked((int)(offset + headerLength)), file, problems);
    }

    private static NpyHeader? ParseDictionary(string text, int dataOffset, string file, List<DatasetProblem> problems)
    {
        var descr = Regex.Match(text, @"['""]descr['""]\s*:\s*['""]([^'""]*)['""]");
        var fortran = Regex.Match(text, @"['""]fortran_order['""]\s*:\s*(True|False)");
        var shape = Regex.Match(text, @"['""]shape['""]\s*:\s*\(([^)]*)\)");
        if (!descr.Success)
            return Fail(file, problems, "the header has no simple 'descr' (structured arrays are not supported): use float32 or float64");
        if (!fortran.Success || !shape.Success)
            return Fail(file, problems, $"the header is not a valid npy header: {text.Trim()}");

        // Keep going after a bad dtype so a file with a bad dtype and a bad shape reports both.
        string dtype = descr.Groups[1].Value;
        int itemSize = dtype switch { "<f4" => 4, "<f8" => 8, _ => 0 };
        if (itemSize == 0)
        {
            string why = dtype.StartsWith('>') ? "big-endian data is not supported, use little-endian float32 or float64" : "use float32 or float64";
            Fail(file, problems, $"dtype '{dtype}' is not supported: {why}");
        }

        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string shapeText = "(" + string.Join(", ", dims) + (dims.Length == 1 ? ",)" : ")");
        var sizes = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (!long.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]))
                return Fail(file, problems, $"shape {shapeText} is not a valid shape");
        }
        if (dims.Length != 2)
            return Fail(file, problems, $"shape {shapeText} is {dims.Length}-D: expected a 2-D array (items, features)");
        if (sizes[0] > int.MaxValue || sizes[1] > int.MaxValue || sizes[0] * sizes[1] > Array.MaxLength)
            return Fail(file, problems, $"shape {shapeText} is too large to load");

        return itemSize == 0 ? null : new NpyHeader(dataOffset, itemSize, fortran.Groups[1].Value == "True", (int)sizes[0], (int)sizes[1]);
    }

    private static NpyHeader? Fail(string file, List<DatasetProblem> problems, string message)
    {
        problems.Add(new DatasetProblem(file, null, null, message));
        return null;
    }

    /// <summary>A version 1.0 header for a C-order float32 matrix, padded to 64 bytes as numpy pads it.</summary>
    public static byte[] Format(int rows, int columns)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        int unpadded = 10 + dict.Length + 1; // preamble + dict + '\n'
        int padding = (64 - unpadded % 64) % 64;
        string header = dict + new string(' ', padding) + "\n";
        var bytes = new byte[10 + header.Length];
        Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8, 2), checked((ushort)header.Length));
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        return bytes;
    }
}
