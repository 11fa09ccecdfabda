using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Components.Pages.Runs;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.RunReports;
using SemiCmr.Web.Runs;
using SemiCmr.Web.Tests.Components.Datasets;

namespace SemiCmr.Web.Tests.Components.Runs;

public sealed class NewRunPageTests
{
    [Fact]
    public async Task EpochsOverTheServersLimitShowTheLimitUnderTheirField()
    {
        var (context, _) = ComponentDb.WithDataset(ComponentDb.Tiny(), services: services => services
            .AddSingleton<RunQueue>().AddSingleton(Options.Create(new TrainingHostOptions())).AddSingleton<RunLimits>().AddSingleton<RunCreator>());
        await using var _ = context;
        var page = context.Render<NewRun>();
        page.WaitForElement("[data-testid='run-form']");

        page.Find("input[data-testid='option-options.stage2Epochs']").Input("5000");
        page.Find("[data-testid='start-run']").Click();

        page.WaitForAssertion(() => Assert.Contains("Training:MaxEpochs",
            page.Find("[data-testid='option-options.stage2Epochs']").Closest(".mud-input-control")!.TextContent));
        Assert.True(page.Find("[data-testid='start-run']").HasAttribute("disabled"));
    }
}
