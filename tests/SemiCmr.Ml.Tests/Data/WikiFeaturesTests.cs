using System.Buffers.Binary;
using SemiCmr.Ml.Data;

namespace SemiCmr.Ml.Tests.Data;

public sealed class WikiFeaturesTests
{
    private static string Folder => ResearchData.Require("wiki-features");

    [Fact]
    public void WikiFeaturesReadAsTheOfficialSplit()
    {
        var dataset = FeatureDatasetReader.Read(Folder);

        Assert.Equal(2866, dataset.Items.Count);
        Assert.Equal(2173, dataset.IndicesOf(Split.Train).Length);
        Assert.Equal(693, dataset.IndicesOf(Split.Test).Length);
        Assert.Equal(10, dataset.ClassCount);
        Assert.Equal((128, 10), (dataset.ImageFeatures.Columns, dataset.TextFeatures.Columns));
        Assert.False(dataset.IsMultiLabel);
        Assert.All(dataset.Items, item => Assert.Single(item.Labels));
        Assert.Equal("b3150b0c281960b6a6d33407824fd40a-3", dataset.Items[0].Id);
        Assert.Equal("media", dataset.ClassNames[dataset.Items[0].Labels[0]]);
    }

    [Theory]
    [InlineData("image_features.npy", 0, 0)]
    [InlineData("image_features.npy", 5, 17)]
    [InlineData("image_features.npy", 2865, 127)]
    [InlineData("text_features.npy", 1234, 9)]
    public void FeatureValuesMatchTheRawColumnMajorFile(string file, int row, int column)
    {
        var dataset = FeatureDatasetReader.Read(Folder);
        var matrix = file == "image_features.npy" ? dataset.ImageFeatures : dataset.TextFeatures;

        // The shared files are saved in Fortran order: element (row, column) sits at column * rows + row.
        var bytes = File.ReadAllBytes(Path.Combine(Folder, file));
        int dataOffset = 10 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        float raw = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataOffset + 4 * (column * 2866 + row)));

        Assert.Equal(raw, matrix.Row(row)[column]);
    }
}
