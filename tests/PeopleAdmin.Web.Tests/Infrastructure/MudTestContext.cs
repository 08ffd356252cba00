using Bunit;
using Bunit.TestDoubles;
using MudBlazor;
using MudBlazor.Services;

namespace PeopleAdmin.Web.Tests.Infrastructure;

/// <summary>A bUnit context set up for MudBlazor the way MudBlazor's own tests do it.</summary>
public abstract class MudTestContext : BunitContext
{
    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        // Signed out until a test says otherwise; the layout's operator menu needs an authentication state.
        Authorization = AddAuthorization();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Renders the popover provider that selects and menus open into.</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();
}
