using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Components.Search;
using SemiCmr.Web.Data;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Progress;
using SemiCmr.Web.Search;
using SemiCmr.Web.Tests.Components.Datasets;

namespace SemiCmr.Web.Tests.Components.Search;

/// <summary>The search page's index chip follows an HNSW build through the broadcaster, without re-reading on a timer.</summary>
public sealed class SearchIndexChipTests
{
    private readonly RunProgressBroadcaster broadcaster = new(new ManualTimeProvider());

    [Fact]
    public async Task TheChipShowsTheBuildsProgressAsItIsPublishedAndThenTheApproximateIndex()
    {
        var (context, runId) = WithSucceededRun();
        await using var _ = context;
        var chip = context.Render<SearchIndexChip>(p => p.Add(c => c.RunId, runId));
        chip.WaitForAssertion(() => Assert.Equal("exact", Kind(chip)));

        broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, 0.5));
        chip.WaitForAssertion(() => Assert.Equal("exact · building index 50 %", Kind(chip)));
        broadcaster.PublishIndexBuild(new IndexBuildEvent(runId + 1, 1, IsFinal: true)); // another run's build
        broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, 0.75, IsFinal: true, Error: "could not be built"));
        chip.WaitForAssertion(() => Assert.Equal("exact", Kind(chip)));
        broadcaster.PublishIndexBuild(new IndexBuildEvent(runId, 1, IsFinal: true));

        chip.WaitForAssertion(() => Assert.Equal("approximate (HNSW)", Kind(chip)));
    }

    [Fact]
    public void AStatusMovesOnByABuildsEventsAsTheReaderWouldReadIt()
    {
        var notBuilt = new SearchIndexStatus("exact", 300, false, 0, null);

        Assert.Equal(notBuilt with { Building = true, Progress = 0.4 }, notBuilt.After(new IndexBuildEvent(1, 0.4)));
        Assert.Equal(new SearchIndexStatus("approximate", 300, false, 1, null), notBuilt.After(new IndexBuildEvent(1, 1, IsFinal: true)));
        Assert.Equal(notBuilt with { Progress = 0.6, Error = "failed" }, notBuilt.After(new IndexBuildEvent(1, 0.6, IsFinal: true, "failed")));
    }

    private static string Kind(IRenderedComponent<SearchIndexChip> chip) => chip.Find("[data-testid='search-index-kind']").TextContent.Trim();

    /// <summary>A dataset of four items with one succeeded run, searched approximately above one item (so its build matters).</summary>
    private (BunitContext Context, int RunId) WithSucceededRun()
    {
        var (context, datasetId) = ComponentDb.WithDataset(ComponentDb.Tiny(), services: services => services
            .AddSingleton(broadcaster)
            .AddSingleton(Options.Create(new SearchOptions { ApproximateAbove = 1 }))
            .AddSearchIndexes()
            .AddSingleton<SearchIndexStatusReader>());
        using var db = context.Services.GetRequiredService<IDbContextFactory<SemiCmrDb>>().CreateDbContext();
        var run = new Run { DatasetId = datasetId, OptionsJson = "{}", Status = RunStatus.Succeeded, CreatedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow };
        db.Runs.Add(run);
        db.SaveChanges();
        return (context, run.Id);
    }
}
