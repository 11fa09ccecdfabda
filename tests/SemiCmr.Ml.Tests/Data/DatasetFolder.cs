using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Data;

/// <summary>Writes small dataset folders for reader tests.</summary>
internal static class DatasetFolder
{
    public static string Create(string itemsCsv, FeatureMatrix? image, FeatureMatrix? text)
    {
        var folder = TestPaths.NewTempFolder();
        File.WriteAllText(Path.Combine(folder, "items.csv"), itemsCsv);
        if (image is not null) Npy.Write(Path.Combine(folder, "image_features.npy"), image);
        if (text is not null) Npy.Write(Path.Combine(folder, "text_features.npy"), text);
        return folder;
    }

    /// <summary>A rows x columns matrix whose value at (r, c) is r + c / 100.</summary>
    public static FeatureMatrix Matrix(int rows, int columns)
    {
        var values = new float[rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) values[r * columns + c] = r + c / 100f;
        return new FeatureMatrix(values, rows, columns);
    }

    public static DatasetValidationException Refusal(string folder) =>
        Assert.Throws<DatasetValidationException>(() => FeatureDatasetReader.Read(folder));

    /// <summary>Asserts one problem sits exactly at file/row/column and its message contains <paramref name="text"/>.</summary>
    public static void AssertProblem(DatasetValidationException error, string file, int? row, string? column, string text) =>
        Assert.Contains(error.Problems, p => p.File == file && p.Row == row && p.Column == column && p.Message.Contains(text));
}
