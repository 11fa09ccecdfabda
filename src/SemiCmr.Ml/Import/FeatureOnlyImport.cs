using System.Diagnostics;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Import;

/// <summary>items.csv with both .npy files and no images: checked by the feature reader and stored as is.</summary>
internal static class FeatureOnlyImport
{
    public static ImportReport Run(string source, string target, int maxTextChars, IProgress<ImportProgress>? progress)
    {
        var clock = Stopwatch.StartNew();
        progress?.Report(new ImportProgress("reading", 0, 1, 0, null));
        var dataset = FeatureDatasetReader.Read(source);
        progress?.Report(new ImportProgress("writing", 0, 1, 0, null));
        foreach (var file in new[] { FeatureDatasetReader.ImageFeaturesFile, FeatureDatasetReader.TextFeaturesFile })
            File.Copy(Path.Combine(source, file), Path.Combine(target, file));
        var truncated = new List<TruncatedItem>();
        var items = dataset.Items.Select(item =>
        {
            if (item.Text is null || item.Text.Length <= maxTextChars) return item;
            var capped = TextFiles.Cap(item.Text, maxTextChars);
            if (!capped.Truncated) return item with { Text = capped.Text };
            truncated.Add(new TruncatedItem(item.Id, FeatureDatasetReader.ItemsFile, capped.Text.Length));
            return item with { Text = capped.Text };
        }).ToArray();
        // Only a cut text makes the stored items.csv differ from the given one.
        if (truncated.Count == 0) File.Copy(Path.Combine(source, FeatureDatasetReader.ItemsFile), Path.Combine(target, FeatureDatasetReader.ItemsFile));
        else DatasetWriter.WriteItems(Path.Combine(target, FeatureDatasetReader.ItemsFile), items, dataset.ClassNames);
        DatasetWriter.WriteImageEncoder(target, given: true);
        DatasetWriter.WriteTextEncoder(target, "given", null);
        var report = new ImportReport("features", dataset.Items.Count, [], "given", "given", clock.Elapsed.TotalSeconds, 0, truncated);
        DatasetWriter.WriteJson(Path.Combine(target, DatasetWriter.ReportFile), report);
        progress?.Report(new ImportProgress("writing", 1, 1, 0, TimeSpan.Zero));
        return report;
    }
}
