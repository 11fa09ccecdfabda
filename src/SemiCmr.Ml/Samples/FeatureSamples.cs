using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Samples;

/// <summary>
/// Generates feature datasets with class-conditional, cross-modally correlated image and text features, so
/// the product (and its tests) can run without the research data. The same spec always gives the same bytes.
/// </summary>
public static class FeatureSamples
{
    public static FeatureDataset Generate(FeatureSampleSpec spec) => Generate(spec, SampleShape.Default);

    /// <summary>
    /// Writes items.csv (id,split,labels; ';' between labels, empty = unlabeled), image_features.npy and
    /// text_features.npy into <paramref name="folder"/> (created if missing); returns the folder.
    /// </summary>
    public static string Write(string folder, FeatureSampleSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var dataset = Generate(spec);
        Directory.CreateDirectory(folder);
        using (var writer = new StreamWriter(Path.Combine(folder, FeatureDatasetReader.ItemsFile)))
        {
            writer.NewLine = "\n";
            writer.WriteLine("id,split,labels");
            foreach (var item in dataset.Items)
            {
                string split = item.Split == Split.Train ? "train" : "test";
                writer.WriteLine($"{item.Id},{split},{string.Join(';', item.Labels.Select(l => dataset.ClassNames[l]))}");
            }
        }
        Npy.Write(Path.Combine(folder, FeatureDatasetReader.ImageFeaturesFile), dataset.ImageFeatures);
        Npy.Write(Path.Combine(folder, FeatureDatasetReader.TextFeaturesFile), dataset.TextFeatures);
        return folder;
    }

    internal static FeatureDataset Generate(FeatureSampleSpec spec, SampleShape shape)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var gaussian = new GaussianSource(spec.Seed);
        var world = new SampleWorld(spec, shape, gaussian);
        var labels = SampleLabels.ForSplit(spec.TrainItems, spec, gaussian.Uniform)
            .Concat(SampleLabels.ForSplit(spec.TestItems, spec, gaussian.Uniform)).ToArray();

        int count = labels.Length;
        var image = new float[(long)count * spec.ImageDim];
        var text = new float[(long)count * spec.TextDim];
        var items = new DatasetItem[count];
        int idWidth = count.ToString().Length;
        for (int i = 0; i < count; i++)
        {
            world.Item(labels[i], gaussian, image.AsSpan(i * spec.ImageDim, spec.ImageDim), text.AsSpan(i * spec.TextDim, spec.TextDim));
            items[i] = new DatasetItem($"item{i.ToString().PadLeft(idWidth, '0')}", i < spec.TrainItems ? Split.Train : Split.Test, labels[i]);
        }
        return new FeatureDataset(items, ClassNames(spec.Classes),
            new FeatureMatrix(image, count, spec.ImageDim), new FeatureMatrix(text, count, spec.TextDim));
    }

    /// <summary>Zero-padded so that the ordinal order of the names (how items.csv is read back) is the class order.</summary>
    private static string[] ClassNames(int classes)
    {
        int width = (classes - 1).ToString().Length;
        return Enumerable.Range(0, classes).Select(c => "class" + c.ToString().PadLeft(width, '0')).ToArray();
    }
}
