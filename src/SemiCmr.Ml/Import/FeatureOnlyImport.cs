using System.Diagnostics;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Import;

/// <summary>items.csv with both .npy files and no images: checked by the feature reader and stored as is.</summary>
internal static class FeatureOnlyImport
{
    public static ImportReport Run(string source, string target, IProgress<ImportProgress>? progress)
    {
        var clock = Stopwatch.StartNew();
        progress?.Report(new ImportProgress("reading", 0, 1, 0, null));
        var dataset = FeatureDatasetReader.Read(source);
        progress?.Report(new ImportProgress("writing", 0, 1, 0, null));
        foreach (var file in new[] { FeatureDatasetReader.ItemsFile, FeatureDatasetReader.ImageFeaturesFile, FeatureDatasetReader.TextFeaturesFile })
            File.Copy(Path.Combine(source, file), Path.Combine(target, file));
        DatasetWriter.WriteImageEncoder(target, given: true);
        DatasetWriter.WriteTextEncoder(target, "given", null);
        var report = new ImportReport("features", dataset.Items.Count, [], "given", "given", clock.Elapsed.TotalSeconds, 0);
        DatasetWriter.WriteJson(Path.Combine(target, DatasetWriter.ReportFile), report);
        progress?.Report(new ImportProgress("writing", 1, 1, 0, TimeSpan.Zero));
        return report;
    }
}
