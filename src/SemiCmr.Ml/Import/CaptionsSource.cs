using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Import;

/// <summary>
/// captions.csv (image,caption[,labels]) with the images in images/: every caption of one image is joined
/// into that item's text, in file order. Unlabeled unless a labels column exists; no split (seeded 80/20).
/// </summary>
internal static class CaptionsSource
{
    public const string FileName = "captions.csv";

    private sealed class Group(string image, int line)
    {
        public string Image { get; } = image;
        public int Line { get; } = line;
        public List<string> Captions { get; } = [];
        public HashSet<string> Labels { get; } = new(StringComparer.Ordinal);
    }

    public static RawSource Read(string root)
    {
        var problems = new List<DatasetProblem>();
        var table = CsvTable.Read(Path.Combine(root, FileName), FileName);
        problems.AddRange(table.Problems);
        int image = table.ColumnIndex("image"), caption = table.ColumnIndex("caption"), labels = table.ColumnIndex("labels");
        string header = string.Join(",", table.Header);
        if (image < 0) problems.Add(new DatasetProblem(FileName, 1, "image", $"the required column 'image' is missing (the header is '{header}')"));
        if (caption < 0) problems.Add(new DatasetProblem(FileName, 1, "caption", $"the required column 'caption' is missing (the header is '{header}')"));
        if (problems.Count > 0) throw new DatasetValidationException(problems);

        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var order = new List<Group>();
        foreach (var record in table.Records)
        {
            var f = record.Fields;
            if (f.Count != table.Header.Count)
            {
                problems.Add(new DatasetProblem(FileName, record.Line, null, $"the row has {f.Count} fields but the header has {table.Header.Count}"));
                continue;
            }
            string name = f[image].Trim();
            if (name.Length == 0)
            {
                problems.Add(new DatasetProblem(FileName, record.Line, "image", "the image name is empty"));
                continue;
            }
            if (!groups.TryGetValue(name, out var group))
            {
                groups[name] = group = new Group(name, record.Line);
                order.Add(group);
            }
            if (f[caption].Trim().Length > 0) group.Captions.Add(f[caption].Trim());
            if (labels >= 0)
                group.Labels.UnionWith(f[labels].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        var candidates = new List<RawCandidate>(order.Count);
        foreach (var group in order)
        {
            string relative = "images/" + group.Image;
            var path = SourcePaths.Resolve(root, relative, FileName, group.Line, "image", problems);
            if (path is null) continue;
            // An image with only empty captions keeps an empty text and is skipped with the reason later.
            string text = string.Join(" ", group.Captions);
            candidates.Add(new RawCandidate(Path.GetFileNameWithoutExtension(group.Image), null, group.Labels.Order(StringComparer.Ordinal).ToArray(),
                relative, path, text, null, null));
        }
        if (problems.Count > 0) throw new DatasetValidationException(problems);
        return new RawSource("captions", candidates);
    }
}
