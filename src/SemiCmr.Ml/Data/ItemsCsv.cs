namespace SemiCmr.Ml.Data;

/// <summary>items.csv of a feature dataset, parsed and checked row by row.</summary>
/// <param name="Lines">The file line of every item record, in order (valid or not): npy rows map onto these.</param>
/// <param name="Items">The items, complete only when no problem was found.</param>
internal sealed record ItemsCsv(IReadOnlyList<int> Lines, IReadOnlyList<DatasetItem> Items, IReadOnlyList<string> ClassNames)
{
    public const string FileName = "items.csv";
    private static readonly string[] Required = ["id", "split", "labels"];

    private sealed record Row(string Id, Split Split, string[] Labels, string? Image, string? Text, string? TextFile);

    /// <summary>Reads items.csv, adding every problem found; null when the file is missing.</summary>
    public static ItemsCsv? Read(string path, List<DatasetProblem> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add(new DatasetProblem(FileName, null, null, "the file is missing: a dataset folder needs items.csv with the columns id,split,labels"));
            return null;
        }
        var table = CsvTable.Read(path, FileName);
        problems.AddRange(table.Problems);
        var lines = table.Records.Select(record => record.Line).ToArray();
        if (!HeaderIsUsable(table, problems)) return new ItemsCsv(lines, [], []);

        // Splits count even on rows with other problems, so one bad row does not also read as "no test items".
        var splits = new HashSet<Split>();
        var rows = ReadRows(table, splits, problems);
        if (!splits.Contains(Split.Train))
            problems.Add(new DatasetProblem(FileName, null, "split", "there are no train items: mark the items to learn from with split 'train'"));
        if (!splits.Contains(Split.Test))
            problems.Add(new DatasetProblem(FileName, null, "split", "there are no test items: mark the items to evaluate on with split 'test'"));

        var classNames = rows.SelectMany(row => row.Labels).Distinct().Order(StringComparer.Ordinal).ToArray();
        var classIndex = classNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        var items = rows.Select(row => new DatasetItem(
            row.Id, row.Split, row.Labels.Select(label => classIndex[label]).Distinct().Order().ToArray(),
            row.Image, row.Text, row.TextFile)).ToArray();
        return new ItemsCsv(lines, items, classNames);
    }

    private static bool HeaderIsUsable(CsvTable table, List<DatasetProblem> problems)
    {
        string header = string.Join(",", table.Header);
        foreach (var name in table.Header.Where(name => name.Length > 0).GroupBy(name => name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add(new DatasetProblem(FileName, 1, name.Key, $"the column '{name.Key}' appears more than once in the header"));
        bool usable = true;
        foreach (var column in Required.Where(column => table.ColumnIndex(column) < 0))
        {
            problems.Add(new DatasetProblem(FileName, 1, column, $"the required column '{column}' is missing (the header is '{header}')"));
            usable = false;
        }
        return usable;
    }

    private static List<Row> ReadRows(CsvTable table, HashSet<Split> splits, List<DatasetProblem> problems)
    {
        int id = table.ColumnIndex("id"), split = table.ColumnIndex("split"), labels = table.ColumnIndex("labels");
        int image = table.ColumnIndex("image"), text = table.ColumnIndex("text"), textFile = table.ColumnIndex("text_file");
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<Row>(table.Records.Count);
        foreach (var record in table.Records)
        {
            var fields = record.Fields;
            if (fields.Count != table.Header.Count)
            {
                problems.Add(new DatasetProblem(FileName, record.Line, null, $"the row has {fields.Count} fields but the header has {table.Header.Count}"));
                continue;
            }
            bool ok = true;
            string itemId = fields[id].Trim();
            if (itemId.Length == 0)
            {
                problems.Add(new DatasetProblem(FileName, record.Line, "id", "the id is empty"));
                ok = false;
            }
            else if (!firstLineOfId.TryAdd(itemId, record.Line))
            {
                problems.Add(new DatasetProblem(FileName, record.Line, "id", $"the id '{itemId}' is already used on row {firstLineOfId[itemId]}"));
                ok = false;
            }
            var itemSplit = ParseSplit(fields[split]);
            if (itemSplit is null)
            {
                problems.Add(new DatasetProblem(FileName, record.Line, "split", $"unknown split '{fields[split]}': use train, val or test"));
                ok = false;
            }
            else splits.Add(itemSplit.Value);
            if (!ok) continue;
            var itemLabels = fields[labels].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            rows.Add(new Row(itemId, itemSplit!.Value, itemLabels, Optional(fields, image), Optional(fields, text), Optional(fields, textFile)));
        }
        return rows;
    }

    /// <summary>train, val (or validation) and test, in any case; null for anything else.</summary>
    internal static Split? ParseSplit(string value) => value.Trim().ToLowerInvariant() switch
    {
        "train" => Split.Train,
        "val" or "validation" => Split.Val,
        "test" => Split.Test,
        _ => null,
    };

    private static string? Optional(IReadOnlyList<string> fields, int index) =>
        index < 0 || fields[index].Length == 0 ? null : fields[index];
}
