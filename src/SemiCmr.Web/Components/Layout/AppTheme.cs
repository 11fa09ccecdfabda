using MudBlazor;

namespace SemiCmr.Web.Components.Layout;

public static class AppTheme
{
    // The system font stack: the app works offline, so no web font is fetched.
    private static readonly string[] SystemFonts = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#3559c7", Secondary = "#00897b", AppbarBackground = "#3559c7", Background = "#f6f7fb" },
        PaletteDark = new PaletteDark { Primary = "#8ea8ff", Secondary = "#4db6ac", AppbarBackground = "#1e2230", Surface = "#232838", Background = "#181b25", DrawerBackground = "#1e2230" },
        Typography = new Typography { Default = new DefaultTypography { FontFamily = SystemFonts } },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };
}
