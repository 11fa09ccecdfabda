using Bunit;
using SemiCmr.Ml.Analysis;
using SemiCmr.Ml.Evaluation;
using SemiCmr.Web.Components.Runs;
using SemiCmr.Web.Data;
using SemiCmr.Web.RunReports;

namespace SemiCmr.Web.Tests.Components.Runs;

/// <summary>A run evaluated on a sample of its test queries says so next to its MAP.</summary>
public sealed class RunResultsSampleTests
{
    private static RunReport Report(QuerySample? sample)
    {
        var direction = new RetrievalReport(0.5, 0.5, 0, new Dictionary<int, double>(), [new(0, 1), new(1, 0.2)], 3, sample);
        return new RunReport(new CrossModalReport(direction, direction), ["a", "b"], false,
            new ClassTable<ClassAveragePrecision>([], 0, null), null, null, 0, [], [], 3, new ReportLabels(Recorded: true, ChangedSince: 0));
    }

    private static IRenderedComponent<RunResults> Render(BunitContext context, QuerySample? sample) =>
        context.Render<RunResults>(p => p
            .Add(r => r.Run, new Run { OptionsJson = "{}", Status = RunStatus.Succeeded, MapI2T = 0.5, MapT2I = 0.5 })
            .Add(r => r.Report, Report(sample)));

    [Fact]
    public async Task ASampledEvaluationShowsHowManyOfTheTestQueriesItRanked()
    {
        await using var context = MudTestContext.Create();

        var results = Render(context, new QuerySample(10_000, 100_000));

        Assert.Contains("MAP over 10,000 of 100,000 test queries", results.Find("[data-testid=map-sample]").TextContent);
    }

    [Fact]
    public async Task AnEvaluationOfEveryQueryShowsNoSampleLine()
    {
        await using var context = MudTestContext.Create();

        var results = Render(context, null);

        Assert.Empty(results.FindAll("[data-testid=map-sample]"));
    }
}
