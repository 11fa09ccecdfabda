using Bunit;
using Microsoft.AspNetCore.Components;
using SemiCmr.Web.Components.Layout;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Layout;

public sealed class MainLayoutTests
{
    [Fact]
    public async Task PageThatThrowsWhileLoadingShowsTheErrorStateInsteadOfEndingTheCircuit()
    {
        await using var context = MudTestContext.Create();

        var layout = context.Render<MainLayout>(p => p.Add(l => l.Body, builder =>
        {
            builder.OpenComponent<ThrowingPage>(0);
            builder.CloseComponent();
        }));

        var error = layout.Find("[data-testid=error-state]");
        Assert.Contains("the page broke", error.TextContent);
        Assert.Contains("Try again", error.TextContent);
    }

    private sealed class ThrowingPage : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException("the page broke");
    }
}
