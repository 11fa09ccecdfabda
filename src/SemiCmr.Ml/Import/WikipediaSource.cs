using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Import;

/// <summary>
/// The Wikipedia cross-modal layout (Rasiwasia et al.): categories.list (one class name per line),
/// trainset_txt_img_cat.list / testset_txt_img_cat.list (TAB: text id, image id, class number 1..N),
/// texts/&lt;text id&gt;.xml or .txt and images/&lt;class name&gt;/&lt;image id&gt;.jpg. The image is looked up in
/// the folder of the class named on its own list row, so one image id under two class folders is not ambiguous.
/// </summary>
internal static class WikipediaSource
{
    public const string CategoriesFile = "categories.list";
    public const string TrainFile = "trainset_txt_img_cat.list";
    public const string TestFile = "testset_txt_img_cat.list";

    public static bool IsPresent(string root) =>
        File.Exists(Path.Combine(root, CategoriesFile)) &&
        (File.Exists(Path.Combine(root, TrainFile)) || File.Exists(Path.Combine(root, TestFile)));

    public static RawSource Read(string root)
    {
        var problems = new List<DatasetProblem>();
        var classes = File.ReadAllLines(Path.Combine(root, CategoriesFile)).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        if (classes.Length == 0) problems.Add(new DatasetProblem(CategoriesFile, null, null, "the file lists no class"));
        foreach (var bad in classes.Where(name => !SourcePaths.IsPlainName(name)))
            problems.Add(new DatasetProblem(CategoriesFile, null, null, $"the class name '{bad}' cannot be a folder name"));
        if (problems.Count > 0) throw new DatasetValidationException(problems);

        var candidates = new List<RawCandidate>();
        foreach (var (file, split) in new[] { (TrainFile, Split.Train), (TestFile, Split.Test) })
        {
            var path = Path.Combine(root, file);
            if (!File.Exists(path)) continue;
            var lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0) continue;
                var fields = lines[i].Split('\t', StringSplitOptions.TrimEntries);
                if (fields.Length != 3) fields = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length != 3)
                {
                    problems.Add(new DatasetProblem(file, i + 1, null, $"expected 3 TAB-separated fields (text id, image id, class number), found {fields.Length}"));
                    continue;
                }
                string textId = fields[0], imageId = fields[1];
                if (!int.TryParse(fields[2], out int classNumber) || classNumber < 1 || classNumber > classes.Length)
                {
                    problems.Add(new DatasetProblem(file, i + 1, null, $"the class number '{fields[2]}' is not between 1 and {classes.Length} (the classes in {CategoriesFile})"));
                    continue;
                }
                if (!SourcePaths.IsPlainName(textId) || !SourcePaths.IsPlainName(imageId))
                {
                    problems.Add(new DatasetProblem(file, i + 1, null, $"the text id '{textId}' or image id '{imageId}' is not a plain file name"));
                    continue;
                }
                string className = classes[classNumber - 1];
                string textFile = File.Exists(Path.Combine(root, "texts", textId + ".xml")) || !File.Exists(Path.Combine(root, "texts", textId + ".txt"))
                    ? $"texts/{textId}.xml" : $"texts/{textId}.txt";
                string imageFile = $"images/{className}/{imageId}.jpg";
                candidates.Add(new RawCandidate(textId, split, [className], imageFile, Path.Combine(root, imageFile), null, textFile, Path.Combine(root, textFile)));
            }
        }
        if (problems.Count > 0) throw new DatasetValidationException(problems);
        return new RawSource("wikipedia", candidates);
    }
}
