using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace SemiCmr.Ml.Import;

/// <summary>Reads an item's text file: plain text, or for .xml the document's text content.</summary>
internal static partial class TextFiles
{
    public static string Read(string path)
    {
        var content = File.ReadAllText(path);
        if (!path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) return Normalize(content);
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
            using var reader = XmlReader.Create(new StringReader(content), settings);
            var document = XDocument.Load(reader);
            // Element boundaries become spaces, so <title>A</title><text>B</text> does not read "AB".
            return Normalize(string.Join(" ", document.DescendantNodes().OfType<XText>().Select(t => t.Value)));
        }
        catch (XmlException)
        {
            // The Wikipedia dataset's files are not always well-formed (bare '&'): fall back to stripping tags.
            return Normalize(WebUtility.HtmlDecode(Tags().Replace(content, " ")));
        }
    }

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
