using MudBlazor;

namespace PeopleAdmin.Web.Components.Layout;

/// <summary>The app's palette; <c>wwwroot-assets/peopleadmin.css</c> carries the same colours for the static pages.</summary>
internal static class BrandTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            AppbarBackground = "#3f51b5",
            Background = "#f5f6fa",
            TextPrimary = "#1f2333",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7986cb",
            AppbarBackground = "#262837",
            Background = "#1a1b26",
            Surface = "#262837",
            DrawerBackground = "#1f2130",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
