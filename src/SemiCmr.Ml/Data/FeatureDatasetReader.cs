namespace SemiCmr.Ml.Data;

/// <summary>
/// Reads a feature dataset folder: <c>items.csv</c> (<c>id,split,labels</c>, optional <c>image</c>,
/// <c>text</c>, <c>text_file</c>) and <c>image_features.npy</c> / <c>text_features.npy</c>, one feature row
/// per item in the order of items.csv.
/// </summary>
/// <remarks>
/// Nothing is accepted half-way: every problem in every file is collected, then the folder is refused
/// with a <see cref="DatasetValidationException"/> listing them all. Rows are always items.csv line
/// numbers (the header is row 1, the first item row 2), including for problems inside the .npy files:
/// a NaN in feature row <c>i</c> is reported at the items.csv row of item <c>i</c>, so the user can find
/// the item it belongs to. Feature rows past the last item continue the numbering. Columns in .npy
/// problems are zero-based feature indices.
/// </remarks>
public static class FeatureDatasetReader
{
    public const string ItemsFile = ItemsCsv.FileName;
    public const string ImageFeaturesFile = "image_features.npy";
    public const string TextFeaturesFile = "text_features.npy";

    /// <summary>How many NaN/Inf values are listed one by one per file before the rest are only counted.</summary>
    public const int ListedNonFiniteValues = 5;

    public static FeatureDataset Read(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DatasetValidationException([new DatasetProblem(folder, null, null, "the dataset folder does not exist")]);

        var problems = new List<DatasetProblem>();
        var items = ItemsCsv.Read(Path.Combine(folder, ItemsFile), problems);
        var image = ReadFeatures(folder, ImageFeaturesFile, items, problems);
        var text = ReadFeatures(folder, TextFeaturesFile, items, problems);
        if (problems.Count > 0 || items is null || image is null || text is null)
            throw new DatasetValidationException(problems);
        return new FeatureDataset(items.Items, items.ClassNames, image, text);
    }

    /// <summary>
    /// The items, class names and feature widths of a folder that <see cref="Read"/> has already accepted (an
    /// import's own output): the .npy headers are read, no feature value is, so a million-item dataset is not
    /// loaded a second time.
    /// </summary>
    public static FeatureDatasetSummary ReadSummary(string folder)
    {
        var problems = new List<DatasetProblem>();
        var items = ItemsCsv.Read(Path.Combine(folder, ItemsFile), problems);
        int? imageDim = Columns(folder, ImageFeaturesFile, problems), textDim = Columns(folder, TextFeaturesFile, problems);
        if (problems.Count > 0 || items is null || imageDim is null || textDim is null)
            throw new DatasetValidationException(problems);
        return new FeatureDatasetSummary(items.Items, items.ClassNames, imageDim.Value, textDim.Value);
    }

    private static int? Columns(string folder, string file, List<DatasetProblem> problems)
    {
        using var stream = File.OpenRead(Path.Combine(folder, file));
        return NpyHeader.Parse(stream, file, problems)?.Columns;
    }

    private static FeatureMatrix? ReadFeatures(string folder, string file, ItemsCsv? items, List<DatasetProblem> problems)
    {
        var matrix = Npy.TryRead(Path.Combine(folder, file), file, problems);
        if (matrix is null) return null;

        if (items is not null && matrix.Rows != items.Lines.Count)
            problems.Add(new DatasetProblem(file, null, null,
                $"the file has {matrix.Rows} rows but {ItemsFile} has {items.Lines.Count} items: features must be row-aligned with {ItemsFile}"));
        if (matrix.Columns == 0)
            problems.Add(new DatasetProblem(file, null, null, "the file has no feature columns"));
        ReportNonFinite(matrix, file, items?.Lines ?? [], problems);
        return matrix;
    }

    private static void ReportNonFinite(FeatureMatrix matrix, string file, IReadOnlyList<int> lines, List<DatasetProblem> problems)
    {
        var values = matrix.Values;
        long count = 0;
        for (long i = 0; i < values.LongLength; i++)
        {
            if (float.IsFinite(values[i])) continue;
            if (++count > ListedNonFiniteValues) continue;
            int row = (int)(i / matrix.Columns), column = (int)(i % matrix.Columns);
            problems.Add(new DatasetProblem(file, ItemsRow(row, lines), column.ToString(), $"the value is {Describe(values[i])}: features must be finite numbers"));
        }
        if (count > ListedNonFiniteValues)
            problems.Add(new DatasetProblem(file, null, null, $"{count - ListedNonFiniteValues} more NaN or infinite values ({count} in total)"));
    }

    /// <summary>The items.csv row of the item at <paramref name="index"/> (continuing past the last item).</summary>
    private static int ItemsRow(int index, IReadOnlyList<int> lines)
    {
        if (index < lines.Count) return lines[index];
        int last = lines.Count > 0 ? lines[^1] : 1;
        return last + index - lines.Count + 1;
    }

    private static string Describe(float value) =>
        float.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
}
