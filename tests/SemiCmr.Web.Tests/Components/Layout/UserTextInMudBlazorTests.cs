using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SemiCmr.Web.Tests.Components.Runs;

namespace SemiCmr.Web.Tests.Components.Layout;

/// <summary>
/// The pages pass user strings (dataset names, class names) to MudBlazor's snackbars and message boxes. Some MudBlazor
/// APIs render strings as markup (MudChart's labels did); these two must show them as text.
/// </summary>
public sealed class UserTextInMudBlazorTests : IAsyncDisposable
{
    private const string Name = "<b>cat</b>";
    private readonly BunitContext context = MudTestContext.Create();

    [Fact]
    public void ASnackbarShowsADatasetNameAsText()
    {
        var provider = context.Render<MudSnackbarProvider>();

        context.Services.GetRequiredService<ISnackbar>().Add($"{Name} was deleted.", Severity.Success);

        provider.WaitForAssertion(() => Assert.Contains($"{Name} was deleted.", provider.Find(".mud-snackbar").TextContent));
        Assert.Empty(provider.FindAll(".mud-snackbar b"));
    }

    [Fact]
    public void AMessageBoxShowsADatasetNameAsText()
    {
        var provider = context.Render<MudDialogProvider>();

        _ = context.Services.GetRequiredService<IDialogService>().ShowMessageBoxAsync("Delete dataset", $"Delete {Name}?", yesText: "Delete");

        provider.WaitForAssertion(() => Assert.Contains($"Delete {Name}?", provider.Find(".mud-dialog").TextContent));
        Assert.Empty(provider.FindAll(".mud-dialog b"));
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
