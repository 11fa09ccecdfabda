using System.Text;
using System.Text.RegularExpressions;

namespace SemiCmr.Web.Datasets;

/// <summary>
/// A cheap look at a .npy header so a request with the wrong dtype or shape is refused at once (400),
/// before a job is queued. The full read (row counts, NaN, csv) happens in the import job.
/// </summary>
public static partial class NpyHeaderCheck
{
    /// <summary>Null when the header is a 2-D little-endian float32/float64 array; otherwise what is wrong.</summary>
    public static string? Problem(Stream stream)
    {
        var head = new byte[4096];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read < 10 || head[0] != 0x93 || Encoding.ASCII.GetString(head, 1, 5) != "NUMPY")
            return "is not a .npy file";
        int start = head[6] == 1 ? 10 : 12;
        string header = Encoding.Latin1.GetString(head, start, Math.Max(0, read - start));
        var descr = Descr().Match(header);
        if (!descr.Success)
            return "has no simple dtype: use float32 or float64";
        if (descr.Groups[1].Value is not ("<f4" or "<f8"))
            return $"has dtype '{descr.Groups[1].Value}': use little-endian float32 ('<f4') or float64 ('<f8')";
        var shape = Shape().Match(header);
        if (!shape.Success || shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length != 2)
            return "is not a 2-D array (items, features)";
        return null;
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex Descr();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex Shape();
}
