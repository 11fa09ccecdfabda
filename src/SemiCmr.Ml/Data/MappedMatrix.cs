using System.IO.MemoryMappedFiles;

namespace SemiCmr.Ml.Data;

/// <summary>
/// A C-order float32 .npy matrix opened memory-mapped and read-only: rows are read from the file as they are touched,
/// and the pages they sit on belong to the OS's file cache, which takes them back under memory pressure. A search
/// index over a million rows thus holds in memory only the rows its queries touch.
/// </summary>
public sealed unsafe class MappedMatrix : IDisposable
{
    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly float* values;
    private int disposed;

    private MappedMatrix(MemoryMappedFile file, MemoryMappedViewAccessor view, int dataOffset, int rows, int columns)
    {
        this.file = file;
        this.view = view;
        Rows = rows;
        Columns = columns;
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        values = (float*)(start + view.PointerOffset + dataOffset);
    }

    public int Rows { get; }
    public int Columns { get; }

    /// <summary>
    /// The matrix in <paramref name="path"/> mapped, or null when its layout cannot be mapped as rows (float64 or
    /// Fortran order: read it with <see cref="Npy.Read"/>). A malformed file is refused as by <see cref="Npy.Read"/>.
    /// </summary>
    public static MappedMatrix? TryOpen(string path)
    {
        var problems = new List<DatasetProblem>();
        NpyHeader? header;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
        {
            header = NpyHeader.Parse(stream, path, problems);
            if (header is null) throw new DatasetValidationException(problems);
            long expected = header.DataOffset + (long)header.Rows * header.Columns * header.ItemSize;
            if (stream.Length != expected) return null; // Npy.Read names what is wrong with the size
            if (header.ItemSize != sizeof(float) || header.FortranOrder || header.Rows == 0) return null;
        }
        var mapped = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = mapped.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedMatrix(mapped, view, header.DataOffset, header.Rows, header.Columns);
        }
        catch
        {
            mapped.Dispose();
            throw;
        }
    }

    /// <summary>One row; valid until the matrix is disposed (callers hold it for as long as they read).</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        return new ReadOnlySpan<float>(values + (long)row * Columns, Columns);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}
