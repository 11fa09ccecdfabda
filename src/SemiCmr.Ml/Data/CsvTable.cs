using System.Text;

namespace SemiCmr.Ml.Data;

/// <summary>One CSV record and the file line it starts on (the header is line 1).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A small RFC 4180 reader: comma-separated, fields optionally quoted with doubled quotes inside, commas
/// and line breaks allowed inside quotes, CRLF, LF or CR line ends, UTF-8 with or without BOM. Blank lines
/// are skipped. Malformed quoting is reported in <see cref="Problems"/> rather than thrown, so a caller
/// can list it with everything else that is wrong.
/// </summary>
public sealed class CsvTable
{
    private CsvTable(IReadOnlyList<string> header, IReadOnlyList<CsvRecord> records, IReadOnlyList<DatasetProblem> problems)
    {
        Header = header;
        Records = records;
        Problems = problems;
    }

    /// <summary>The first record's fields, trimmed; empty when the file is empty.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The records after the header.</summary>
    public IReadOnlyList<CsvRecord> Records { get; }

    public IReadOnlyList<DatasetProblem> Problems { get; }

    /// <summary>Index of a header column (case-insensitive), or -1.</summary>
    public int ColumnIndex(string name)
    {
        for (int i = 0; i < Header.Count; i++)
        {
            if (string.Equals(Header[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    /// <summary>Reads a UTF-8 file; <paramref name="file"/> is the name used in problems (defaults to the path).</summary>
    public static CsvTable Read(string path, string? file = null)
    {
        file ??= path;
        string text;
        try
        {
            // Strict decoding: a Latin-1 export would otherwise turn into silent replacement characters.
            text = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException)
        {
            return new CsvTable([], [], [new DatasetProblem(file, null, null, "the file is not valid UTF-8: save it as UTF-8")]);
        }
        return Parse(text, file);
    }

    /// <summary>Parses CSV text; <paramref name="file"/> is the name used in problems.</summary>
    public static CsvTable Parse(string text, string file)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var problems = new List<DatasetProblem>();
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, quoteLine = 0;
        bool inQuotes = false, fieldWasQuoted = false, recordHasContent = false, afterQuoteReported = false;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldWasQuoted = afterQuoteReported = false;
        }

        void EndRecord()
        {
            EndField();
            if (recordHasContent || fields.Count > 1) records.Add(new CsvRecord(recordLine, fields.ToArray()));
            fields.Clear();
            recordHasContent = false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') inQuotes = false;
                else
                {
                    if (c == '\n' || (c == '\r' && !(i + 1 < text.Length && text[i + 1] == '\n'))) line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case ',':
                    EndField();
                    recordHasContent = true;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    EndRecord();
                    recordLine = ++line;
                    break;
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = fieldWasQuoted = recordHasContent = true;
                    quoteLine = line;
                    break;
                default:
                    if (fieldWasQuoted && !afterQuoteReported)
                    {
                        problems.Add(new DatasetProblem(file, line, null, $"unexpected character '{c}' after a closing quote: quote the whole field"));
                        afterQuoteReported = true;
                    }
                    else if (c == '"' && !fieldWasQuoted)
                        problems.Add(new DatasetProblem(file, line, null, "a quote inside an unquoted field: quote the whole field and double the quote"));
                    field.Append(c);
                    recordHasContent = true;
                    break;
            }
        }
        if (inQuotes)
            problems.Add(new DatasetProblem(file, quoteLine, null, "a quoted field is never closed"));
        EndRecord();

        var header = records.Count > 0 ? records[0].Fields.Select(name => name.Trim()).ToArray() : [];
        return new CsvTable(header, records.Skip(1).ToList(), problems);
    }
}
