using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemiCmr.Web.Components.Datasets;
using SemiCmr.Web.Hosting;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Datasets;

public sealed class UploadPanelTests
{
    [Fact]
    public async Task PanelShowsTheServersSizeLimitAndRefusesALargerFileBeforeUploading()
    {
        await using var context = MudTestContext.Create();
        context.Services.AddSingleton(Options.Create(new ImportOptions { MaxUploadBytes = 20L * 1024 * 1024 }));
        var panel = context.Render<UploadPanel>();

        Assert.Contains("up to 20 MB", panel.Find("[data-testid=upload-limit]").TextContent);

        await panel.InvokeAsync(() => panel.Instance.FileChosen("big.zip", 30L * 1024 * 1024));

        panel.WaitForAssertion(() => Assert.Equal(
            "big.zip is 30 MB; the server accepts at most 20 MB (Import:MaxUploadBytes).", panel.Find("[data-testid=upload-too-large]").TextContent.Trim()));
        Assert.True(panel.Find("[data-testid=upload-button]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AFileWithinTheLimitCanBeUploadedAndNamesTheDataset()
    {
        await using var context = MudTestContext.Create();
        context.Services.AddSingleton(Options.Create(new ImportOptions { MaxUploadBytes = 20L * 1024 * 1024 }));
        var panel = context.Render<UploadPanel>();

        await panel.InvokeAsync(() => panel.Instance.FileChosen("flowers.zip", 1024));

        panel.WaitForAssertion(() => Assert.False(panel.Find("[data-testid=upload-button]").HasAttribute("disabled")));
        Assert.Empty(panel.FindAll("[data-testid=upload-too-large]"));
        Assert.Contains(panel.FindAll("input"), input => input.GetAttribute("value") == "flowers");
    }

    [Theory]
    [InlineData(403, "Your role does not allow uploading datasets (it needs the Editor role): an admin can change it.")]
    [InlineData(401, "You are no longer signed in: sign in again, then upload.")]
    public void ARefusalOfTheUserSaysWhyRatherThanItsStatusCode(int status, string message)
    {
        // What the status code pages answer to a refused user: problem details without a detail.
        var answer = new UploadPanel.UploadAnswer(status, $$"""{"type":"https://tools.ietf.org/html/rfc9110","title":"Forbidden","status":{{status}}}""");

        Assert.Equal([message], UploadPanel.ProblemMessages(answer));
    }
}
