using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace SemiCmr.Ml.Search;

/// <summary>
/// The few calls of USearch's C library (shipped in the Cloud.Unum.USearch package) that <see cref="HnswIndex"/>
/// needs, bound here rather than through the package's wrapper: it reserves capacity once (the wrapper reserves per
/// added vector), adds from several threads, and searches spans without copying. The handle is a SafeHandle, so an
/// index disposed while a query runs is freed only after that query returns.
/// </summary>
internal static class UsearchNative
{
    private const string Library = "libusearch_c";

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern UsearchHandle usearch_init(ref IndexOptions options, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void usearch_free(IntPtr index, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, CharSet = CharSet.Ansi, BestFitMapping = false)]
    public static extern void usearch_save(UsearchHandle index, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, CharSet = CharSet.Ansi, BestFitMapping = false)]
    public static extern void usearch_view(UsearchHandle index, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, out IntPtr error);

    /// <summary>The options a saved index was built with, read from its file's header.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, CharSet = CharSet.Ansi, BestFitMapping = false)]
    public static extern void usearch_metadata([MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref IndexOptions options, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern nuint usearch_size(UsearchHandle index, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern nuint usearch_dimensions(UsearchHandle index, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void usearch_change_expansion_search(UsearchHandle index, nuint expansion, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void usearch_reserve(UsearchHandle index, nuint capacity, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern void usearch_add(UsearchHandle index, ulong key, in float vector, ScalarKind kind, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    public static extern nuint usearch_search(UsearchHandle index, in float query, ScalarKind kind, nuint count,
        [Out] ulong[] keys, [Out] float[] distances, out IntPtr error);

    /// <summary>Throws when a call reported an error (USearch's messages are static strings: nothing to free).</summary>
    public static void Check(IntPtr error)
    {
        if (error != IntPtr.Zero) throw new InvalidDataException($"USearch: {Marshal.PtrToStringUTF8(error)}");
    }
}

internal sealed class UsearchHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        UsearchNative.usearch_free(handle, out _);
        return true;
    }
}
