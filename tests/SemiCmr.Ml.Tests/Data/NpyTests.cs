using System.Text;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Data;

public sealed class NpyTests
{
    private static readonly float[,] Sample = { { 1f, -2.5f, 3e-8f }, { 4f, 5.25f, -6e7f } };

    private static string WriteBytes(byte[] bytes, string name = "m.npy")
    {
        var path = Path.Combine(TestPaths.NewTempFolder(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertMatrix(float[,] expected, FeatureMatrix actual)
    {
        Assert.Equal(expected.GetLength(0), actual.Rows);
        Assert.Equal(expected.GetLength(1), actual.Columns);
        for (int r = 0; r < actual.Rows; r++)
            for (int c = 0; c < actual.Columns; c++)
                Assert.Equal(expected[r, c], actual.Row(r)[c]);
    }

    [Fact]
    public void WrittenMatrixReadsBackUnchanged()
    {
        var matrix = new FeatureMatrix([1f, -2.5f, 3e-8f, 4f, 5.25f, -6e7f, float.Epsilon, float.MaxValue], 4, 2);
        var path = Path.Combine(TestPaths.NewTempFolder(), "m.npy");

        Npy.Write(path, matrix);
        var read = Npy.Read(path);

        Assert.Equal((4, 2), (read.Rows, read.Columns));
        Assert.Equal(matrix.Values, read.Values);
    }

    [Fact]
    public void WrittenFileIsLaidOutAsNumpySavesIt()
    {
        var path = Path.Combine(TestPaths.NewTempFolder(), "m.npy");
        Npy.Write(path, new FeatureMatrix([1f, 2f, 3f, 4f, 5f, 6f], 2, 3));

        var bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);

        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal(10 + headerLength + 6 * 4, bytes.Length);
        Assert.Equal(NpyBytes.Float32(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }, fortranOrder: false), bytes[(10 + headerLength)..]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsFloat32InCAndFortranOrder(bool fortranOrder)
    {
        var path = WriteBytes(NpyBytes.File("<f4", fortranOrder, NpyBytes.Shape(Sample), NpyBytes.Float32(Sample, fortranOrder)));
        AssertMatrix(Sample, Npy.Read(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsFloat64AsFloat32InCAndFortranOrder(bool fortranOrder)
    {
        double[,] values = { { 0.1, -2.5, 1e-300 }, { 4, 1e10, -6e7 } };
        var path = WriteBytes(NpyBytes.File("<f8", fortranOrder, NpyBytes.Shape(values), NpyBytes.Float64(values, fortranOrder)));

        var read = Npy.Read(path);

        AssertMatrix(new[,] { { 0.1f, -2.5f, 0f }, { 4f, 1e10f, -6e7f } }, read);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadsVersion2And3Headers(int major)
    {
        var path = WriteBytes(NpyBytes.File("<f4", false, NpyBytes.Shape(Sample), NpyBytes.Float32(Sample, false), major));
        AssertMatrix(Sample, Npy.Read(path));
    }

    [Fact]
    public void ReadsLargeFortranFloat64FilesAcrossChunkBoundaries()
    {
        // 150,000 doubles span more than one 1 MiB read chunk.
        var values = new double[300, 500];
        for (int r = 0; r < 300; r++)
            for (int c = 0; c < 500; c++) values[r, c] = r * 1000 + c;
        var path = WriteBytes(NpyBytes.File("<f8", true, NpyBytes.Shape(values), NpyBytes.Float64(values, true)));

        var read = Npy.Read(path);

        Assert.Equal((300, 500), (read.Rows, read.Columns));
        for (int r = 0; r < 300; r++)
            for (int c = 0; c < 500; c++) Assert.Equal(r * 1000 + c, read.Row(r)[c]);
    }

    public static TheoryData<string, byte[], string> RefusedFiles => new()
    {
        { "int64", NpyBytes.File("<i8", false, "(2, 2)", new byte[32]), "dtype '<i8' is not supported: use float32 or float64" },
        { "big-endian", NpyBytes.File(">f4", false, "(2, 2)", new byte[16]), "dtype '>f4' is not supported: big-endian" },
        { "1-D", NpyBytes.File("<f4", false, "(4,)", new byte[16]), "shape (4,) is 1-D: expected a 2-D array (items, features)" },
        { "3-D", NpyBytes.File("<f4", false, "(2, 2, 2)", new byte[32]), "shape (2, 2, 2) is 3-D" },
        { "truncated", NpyBytes.File("<f4", false, "(2, 2)", new byte[12]), "the data is truncated: shape (2, 2) needs 16 bytes, the file holds 12" },
        { "extra data", NpyBytes.File("<f4", false, "(2, 2)", new byte[20]), "has extra bytes after the data" },
        { "bad magic", "PK not numpy at all"u8.ToArray(), "is not a .npy file" },
        { "version 4", WithVersion(NpyBytes.File("<f4", false, "(1, 1)", new byte[4]), 4), "npy format version 4.0 is not supported" },
        { "structured", NpyBytes.FromDictionary("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", new byte[8]), "structured arrays are not supported" },
    };

    private static byte[] WithVersion(byte[] file, byte major)
    {
        file[6] = major;
        return file;
    }

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public void RefusesWhatItCannotReadNamingTheFileAndTheReason(string name, byte[] bytes, string reason)
    {
        var path = WriteBytes(bytes, name + ".npy");

        var error = Assert.Throws<DatasetValidationException>(() => Npy.Read(path));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(path, problem.File);
        Assert.Contains(reason, problem.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void ReportsABadDtypeAndABadShapeTogether()
    {
        var path = WriteBytes(NpyBytes.File("<i4", false, "(8,)", new byte[32]));

        var error = Assert.Throws<DatasetValidationException>(() => Npy.Read(path));

        Assert.Collection(error.Problems,
            p => Assert.Contains("dtype '<i4'", p.Message),
            p => Assert.Contains("shape (8,)", p.Message));
    }
}
