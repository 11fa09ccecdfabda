using MudBlazor;
using MudBlazor.Services;
using SemiCmr.Web.Auth;
using SemiCmr.Web.Components;
using SemiCmr.Web.Components.Shared;

namespace SemiCmr.Web.Ui;

public static class UiExtensions
{
    /// <summary>Blazor Server with MudBlazor; components call the app's services directly, not the REST API.</summary>
    public static WebApplicationBuilder AddUi(this WebApplicationBuilder builder)
    {
        // Development turns this on by itself; other environments running from the build output (WebApplicationFactory
        // tests use "Testing") need it too, or MudBlazor's _content files are missing. A published app has none to load.
        builder.WebHost.UseStaticWebAssets();
        // The root wwwroot/ is linked in as None (see the csproj), so the build manifest does not list app.css or the
        // js modules: UseStaticFiles serves them, and the development handler's "not in the manifest" warning is noise.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Builder.StaticAssetDevelopmentRuntimeHandler", LogLevel.Error);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.PreventDuplicates = false;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
        });
        builder.Services.AddScoped<BrowserClock>();
        return builder;
    }

    /// <summary>
    /// Static assets (MudBlazor's _content and the framework script, from the static web assets manifest; the root
    /// wwwroot/ is served by UseStaticFiles) and the interactive pages.
    /// </summary>
    public static WebApplication MapUi(this WebApplication app)
    {
        app.UseAntiforgery();
        // Static assets are public (the login page needs MudBlazor's css and app.css). Each page names its policy, the account
        // pages [AllowAnonymous] (which wins); the circuit hub (/_blazor) is for viewers and above: the account pages are static forms.
        // Mapped in a group so that AllowAnonymous also covers the fallback endpoint MapStaticAssets adds when it runs from the
        // build output ({**path:file}: it serves wwwroot/ files the manifest lacks, such as css/app.css, and as it matches
        // first UseStaticFiles leaves them to it); without it the login page's app.css was a redirect to the login page.
        var assets = app.MapGroup("");
        assets.AllowAnonymous();
        assets.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization(Policies.ViewerOrAbove);
        return app;
    }
}
