using System.Net;

namespace SemiCmr.Web.Tests.Components.Datasets;

public sealed class UiShellTests
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/_framework/blazor.web.js", "text/javascript")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js", "text/javascript")]
    [InlineData("/css/app.css", "text/css")]
    [InlineData("/js/theme.js", "text/javascript")]
    public async Task PageShellAndItsScriptsAndStylesAreServed(string path, string mediaType)
    {
        await using var app = SemiCmrApp.InTempFolders();
        var response = await app.CreateClient().GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }
}
