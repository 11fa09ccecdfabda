using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace SemiCmr.Ml.Import;

/// <summary>An item's text as stored: whitespace-normalised, at most the cap long, and whether the source had more.</summary>
internal readonly record struct CappedText(string Text, bool Truncated);

/// <summary>
/// Reads an item's text file: plain text, or for .xml the document's text content. Reads never go far past
/// the cap, so a 1 GB text file costs no more memory than a small one; the bytes must be valid UTF-8.
/// </summary>
internal static partial class TextFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="DecoderFallbackException">The bytes read are not valid UTF-8.</exception>
    public static CappedText Read(string path, int maxChars)
    {
        using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: false);
        if (!path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) return ReadPlain(reader, maxChars);

        // Markup takes room: read a generous multiple of the cap; a cut document fails to parse and is stripped of tags instead.
        long budget = Math.Min(int.MaxValue / 2, (long)maxChars * 4 + 65_536);
        var buffer = new char[Math.Min(budget + 1, 1 << 20)];
        var content = new StringBuilder();
        int read;
        while (content.Length <= budget && (read = reader.Read(buffer, 0, (int)Math.Min(buffer.Length, budget + 1 - content.Length))) > 0)
            content.Append(buffer, 0, read);
        bool cut = content.Length > budget;
        return Cap(Normalize(ParseXml(content.ToString().TrimStart('\uFEFF'))), maxChars, cut);
    }

    /// <summary>Cuts a text (an inline one from a CSV, as given) to the cap.</summary>
    public static CappedText Cap(string text, int maxChars, bool alreadyCut = false) =>
        text.Length > maxChars ? new CappedText(text[..maxChars].TrimEnd(), true) : new CappedText(text, alreadyCut);

    /// <summary>Collapses whitespace while streaming, and stops once one character past the cap is known to exist.</summary>
    private static CappedText ReadPlain(StreamReader reader, int maxChars)
    {
        var text = new StringBuilder();
        var buffer = new char[Math.Min(maxChars + 1, 1 << 16)];
        bool pendingSpace = false, first = true;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                char c = buffer[i];
                if (first && c == '\uFEFF') { first = false; continue; }
                first = false;
                if (char.IsWhiteSpace(c)) { pendingSpace = text.Length > 0; continue; }
                if (text.Length + (pendingSpace ? 1 : 0) >= maxChars) return new CappedText(text.ToString().TrimEnd(), true);
                if (pendingSpace) text.Append(' ');
                pendingSpace = false;
                text.Append(c);
            }
        }
        return new CappedText(text.ToString(), false);
    }

    private static string ParseXml(string content)
    {
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
            using var reader = XmlReader.Create(new StringReader(content), settings);
            var document = XDocument.Load(reader);
            // Element boundaries become spaces, so <title>A</title><text>B</text> does not read "AB".
            return string.Join(" ", document.DescendantNodes().OfType<XText>().Select(t => t.Value));
        }
        catch (XmlException)
        {
            // The Wikipedia dataset's files are not always well-formed (bare '&'): fall back to stripping tags.
            return WebUtility.HtmlDecode(Tags().Replace(content, " "));
        }
    }

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
