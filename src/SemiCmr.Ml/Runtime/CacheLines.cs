using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace SemiCmr.Ml.Runtime;

/// <summary>Prefetch hints for scans that read scattered rows.</summary>
internal static class CacheLines
{
    private const int LineBytes = 64;

    /// <summary>Asks for <paramref name="data"/>'s cache lines ahead of its use (nothing on hardware without SSE).</summary>
    public static unsafe void Prefetch<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        if (!Sse.IsSupported) return;
        var first = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(data));
        int bytes = data.Length * sizeof(T);
        for (int line = 0; line < bytes; line += LineBytes) Sse.Prefetch0(first + line);
    }
}
