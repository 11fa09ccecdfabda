using Bunit;
using SemiCmr.Web.Components.Search;
using SemiCmr.Web.Search;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Search;

public sealed class SearchResultsTests : IAsyncDisposable
{
    private readonly BunitContext context = MudTestContext.Create();

    private static IReadOnlyList<SearchHit> Hits(int count, int first = 0) =>
        Enumerable.Range(first, count).Select(i => new SearchHit($"item{i}", i, 1 - i / 100.0, ["cat"], $"text {i}", $"/thumb/{i}", $"/image/{i}")).ToList();

    [Fact]
    public void PagingShowsTheRangeAndRanksContinueFromThePreviousPage()
    {
        var results = context.Render<SearchResults>(p => p.Add(r => r.Hits, Hits(10, 10)).Add(r => r.Total, 25).Add(r => r.Page, 2)
            .Add(r => r.PageSize, 10).Add(r => r.TargetImages, false));

        Assert.Equal("11\u201320 of 25", results.Find("[data-testid='result-range']").TextContent);
        Assert.StartsWith("#11", results.FindAll("[data-testid='text-hit']")[0].TextContent.Trim());
        Assert.Equal(3, results.FindAll("[data-testid='search-pager'] .mud-pagination-item").Count(li => int.TryParse(li.TextContent.Trim(), out _)));
    }

    [Fact]
    public void ChoosingAnotherPageAsksForIt()
    {
        int? asked = null;
        var results = context.Render<SearchResults>(p => p.Add(r => r.Hits, Hits(10)).Add(r => r.Total, 25).Add(r => r.PageSize, 10)
            .Add(r => r.OnPageChanged, (int page) => asked = page));

        results.FindAll("[data-testid='search-pager'] button").First(b => b.TextContent.Trim() == "3").Click();

        Assert.Equal(3, asked);
    }

    [Fact]
    public void ImageHitsShowThumbnailsScoresAndMoreLikeThis()
    {
        SearchHit? more = null;
        var results = context.Render<SearchResults>(p => p.Add(r => r.Hits, Hits(2)).Add(r => r.Total, 2).Add(r => r.TargetImages, true)
            .Add(r => r.OnMoreLikeThis, (SearchHit hit) => more = hit));

        Assert.Equal(["/thumb/0", "/thumb/1"], results.FindAll("[data-testid='thumbnail']").Select(i => i.GetAttribute("src")));
        Assert.Equal("0.990", results.FindAll("[data-testid='score']")[1].TextContent);
        Assert.Empty(results.FindAll("[data-testid='search-pager']"));
        results.FindAll("[data-testid='more-like-this']")[1].Click();
        Assert.Equal("item1", more!.ItemId);
    }

    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(10, 10, 1)]
    [InlineData(11, 10, 2)]
    public void PageCountRoundsUp(int total, int pageSize, int pages) => Assert.Equal(pages, SearchPaging.PageCount(total, pageSize));

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
