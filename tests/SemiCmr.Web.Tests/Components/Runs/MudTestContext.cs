using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using SemiCmr.Web.Components.Shared;

namespace SemiCmr.Web.Tests.Components.Runs;

/// <summary>A bUnit context with MudBlazor's services and loose JS interop (MudBlazor calls JS we do not need here).</summary>
public static class MudTestContext
{
    public static BunitContext Create()
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddScoped<BrowserClock>();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }
}
