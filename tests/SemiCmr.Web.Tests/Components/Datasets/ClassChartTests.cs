using Bunit;
using SemiCmr.Web.Components.Datasets;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Datasets;

/// <summary>The dataset page's class distribution chart: class names are text, and thousands of classes stay a short chart.</summary>
public sealed class ClassChartTests : IAsyncDisposable
{
    private readonly BunitContext context = MudTestContext.Create();

    [Fact]
    public void AClassNamedLikeMarkupIsShownAsTextNotAsAnElement()
    {
        var chart = context.Render<ClassChart>(p => p
            .Add(c => c.Classes, ["<b>cat</b>", "dog"])
            .Add(c => c.Counts, [3, 1]));

        Assert.Empty(chart.FindAll("[data-testid=class-chart] b"));
        Assert.Contains("<b>cat</b>", chart.Find("[data-testid=class-chart]").TextContent);
    }

    [Fact]
    public void ThousandsOfClassesDrawOnlyTheMostFrequentAndSayHowManyMore()
    {
        var classes = Enumerable.Range(0, 3000).Select(c => $"c{c}").ToList();
        var counts = Enumerable.Range(0, 3000).Select(c => c == 2999 ? 50 : 1).ToList();

        var chart = context.Render<ClassChart>(p => p.Add(c => c.Classes, classes).Add(c => c.Counts, counts));

        var bars = chart.FindAll("[data-testid=class-bar]");
        Assert.InRange(bars.Count, 1, ClassChart.MaxBars);
        Assert.Contains("c2999", chart.Find("[data-testid=class-chart]").TextContent);
        Assert.Contains($"and {(3000 - ClassChart.MaxBars).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} more classes", chart.Find("[data-testid=class-chart-more]").TextContent);
        Assert.True(chart.Markup.Length < 100_000, $"The chart's markup is {chart.Markup.Length:N0} characters.");
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
