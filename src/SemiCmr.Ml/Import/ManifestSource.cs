using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Import;

/// <summary>
/// items.csv with id, image and text or text_file; split and labels optional. Structural problems (bad
/// CSV, missing columns, unknown splits, paths leaving the folder) refuse the whole manifest; items whose
/// files turn out to be missing are skipped later, like in every format.
/// </summary>
internal static class ManifestSource
{
    public const string FileName = "items.csv";

    public static RawSource Read(string root)
    {
        var problems = new List<DatasetProblem>();
        var table = CsvTable.Read(Path.Combine(root, FileName), FileName);
        problems.AddRange(table.Problems);
        int id = table.ColumnIndex("id"), image = table.ColumnIndex("image"), text = table.ColumnIndex("text");
        int textFile = table.ColumnIndex("text_file"), split = table.ColumnIndex("split"), labels = table.ColumnIndex("labels");
        string header = string.Join(",", table.Header);
        if (id < 0) problems.Add(new DatasetProblem(FileName, 1, "id", $"the required column 'id' is missing (the header is '{header}')"));
        if (image < 0) problems.Add(new DatasetProblem(FileName, 1, "image", $"the column 'image' is missing (the header is '{header}'): give each item's image path"));
        if (text < 0 && textFile < 0) problems.Add(new DatasetProblem(FileName, 1, "text", $"a column 'text' or 'text_file' is needed (the header is '{header}')"));
        if (problems.Count > 0) throw new DatasetValidationException(problems);

        var candidates = new List<RawCandidate>();
        foreach (var record in table.Records)
        {
            var f = record.Fields;
            if (f.Count != table.Header.Count)
            {
                problems.Add(new DatasetProblem(FileName, record.Line, null, $"the row has {f.Count} fields but the header has {table.Header.Count}"));
                continue;
            }
            string itemId = f[id].Trim();
            if (itemId.Length == 0) problems.Add(new DatasetProblem(FileName, record.Line, "id", "the id is empty"));
            Split? itemSplit = split < 0 ? null : ItemsCsv.ParseSplit(f[split]);
            if (split >= 0 && itemSplit is null)
                problems.Add(new DatasetProblem(FileName, record.Line, "split", $"unknown split '{f[split]}': use train, val or test"));
            string imageFile = f[image].Trim();
            var imagePath = imageFile.Length == 0 ? null : SourcePaths.Resolve(root, imageFile, FileName, record.Line, "image", problems);
            if (imageFile.Length == 0) problems.Add(new DatasetProblem(FileName, record.Line, "image", "the image path is empty"));
            string? inline = text >= 0 && f[text].Trim().Length > 0 ? f[text].Trim() : null;
            string? file = inline is null && textFile >= 0 && f[textFile].Trim().Length > 0 ? f[textFile].Trim() : null;
            var textPath = file is null ? null : SourcePaths.Resolve(root, file, FileName, record.Line, "text_file", problems);
            if (imagePath is null || itemId.Length == 0 || (split >= 0 && itemSplit is null) || (file is not null && textPath is null)) continue;

            var itemLabels = labels < 0 ? [] : f[labels].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            candidates.Add(new RawCandidate(itemId, itemSplit, itemLabels, imageFile, imagePath, inline, file, textPath));
        }
        if (problems.Count > 0) throw new DatasetValidationException(problems);
        return new RawSource("manifest", candidates);
    }
}
