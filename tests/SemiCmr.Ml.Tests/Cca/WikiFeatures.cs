using SemiCmr.Ml.Data;
using SemiCmr.Ml.Training;

namespace SemiCmr.Ml.Tests.Cca;

/// <summary>wiki-features read through the product's reader, with the split as a train flag per row.</summary>
internal sealed record WikiFeatures(FeatureMatrix Images, FeatureMatrix Texts, IReadOnlyList<IReadOnlyList<int>> Labels, bool[] IsTrain)
{
    public static WikiFeatures Load()
    {
        var dataset = FeatureDatasetReader.Read(ResearchData.Require("wiki-features"));
        return new WikiFeatures(
            dataset.ImageFeatures,
            dataset.TextFeatures,
            dataset.Items.Select(item => item.Labels).ToArray(),
            dataset.Items.Select(item => item.Split == Ml.Data.Split.Train).ToArray());
    }

    public (FeatureMatrix Images, FeatureMatrix Texts, IReadOnlyList<IReadOnlyList<int>> Labels) Split(bool train)
    {
        var rows = Enumerable.Range(0, IsTrain.Length).Where(i => IsTrain[i] == train).ToArray();
        return (Images.SelectRows(rows), Texts.SelectRows(rows), rows.Select(i => Labels[i]).ToArray());
    }

    /// <summary>Z-scores every column with the statistics of the training rows, as training does.</summary>
    public WikiFeatures Standardised()
    {
        var train = Enumerable.Range(0, IsTrain.Length).Where(i => IsTrain[i]).ToArray();
        return this with
        {
            Images = Standardizer.Fit(Images, train).Apply(Images),
            Texts = Standardizer.Fit(Texts, train).Apply(Texts),
        };
    }
}
