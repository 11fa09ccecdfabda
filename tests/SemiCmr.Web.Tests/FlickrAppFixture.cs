using SemiCmr.Web.Datasets;

namespace SemiCmr.Web.Tests;

[CollectionDefinition(Name)]
public sealed class FlickrCollection : ICollectionFixture<FlickrAppFixture>
{
    public const string Name = "flickr app";
}

/// <summary>flickr8k-1000 (research data: 1000 photos, 12 concepts, 40 unlabeled), about a minute of ResNet-18 and MiniLM.</summary>
public sealed class FlickrAppFixture : RawAppFixture
{
    private const string Name = "flickr8k-1000";
    private static string Folder => Path.Combine(ResearchData.Root, Name);

    public override RawExpectations Expected { get; } =
        new(1000, 0, new SplitCounts(800, 0, 200), 12, 40, "image/jpeg", "a dog running on grass", "dog");

    protected override string? PrepareSource() => ResearchData.IsPresent(Name) ? Folder : null;

    public override void RequireSource() => ResearchData.Require(Name);

    public override string ImageFileOf(ItemSummary item) => Path.Combine(Folder, "images", item.ExternalId + ".jpg");
}
