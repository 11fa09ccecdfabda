using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SemiCmr.Ml.Runtime;

/// <summary>
/// Large arrays read at scattered rows (a label filter's rows in a shortlist scan) in 2 MiB pages: with 4 KiB pages
/// nearly every row read misses the processor's address cache (TLB) first. Linux only, and only where transparent huge
/// pages are allowed on request (`/sys/kernel/mm/transparent_hugepage/enabled` is `madvise` or `always`); elsewhere the
/// array is an ordinary one.
/// </summary>
public static class HugePages
{
    private const int Advice = 14; // MADV_HUGEPAGE
    private const long PageBytes = 2 * 1024 * 1024;

    /// <summary>A pinned array of <paramref name="length"/> zeros whose whole 2 MiB pages are asked to be huge pages before first use.</summary>
    public static T[] Array<T>(long length) where T : unmanaged
    {
        var array = GC.AllocateArray<T>(checked((int)length), pinned: true);
        if (OperatingSystem.IsLinux() && length * Unsafe.SizeOf<T>() >= 2 * PageBytes) Advise(array);
        return array;
    }

    private static unsafe void Advise<T>(T[] array) where T : unmanaged
    {
        fixed (T* first = array)
        {
            long start = ((long)first + PageBytes - 1) & ~(PageBytes - 1);
            long end = ((long)first + (long)array.Length * sizeof(T)) & ~(PageBytes - 1);
            try
            {
                if (end > start) _ = madvise((nint)start, (nuint)(end - start), Advice); // a refusal leaves ordinary pages
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int madvise(nint address, nuint length, int advice);
}
