namespace SemiCmr.Web.Datasets;

/// <summary>
/// Lists and search hits carry the start of an item's text, never the whole of it (a text may be up to
/// Import:MaxTextChars long); the whole text is at GET /api/datasets/{id}/items/{row}.
/// </summary>
public static class TextExcerpt
{
    public const int Length = 300;

    /// <summary>How many characters to read from the database: one more than the excerpt tells whether it was cut.</summary>
    public const int ReadLength = Length + 1;

    public static string? Of(string? text) =>
        text is null || text.Length <= Length ? text : text[..Length].TrimEnd() + "…";
}
