using Bunit;
using MudBlazor;
using MudBlazor.Services;

namespace PeopleAdmin.Web.Tests.Infrastructure;

/// <summary>A bUnit context set up for MudBlazor the way MudBlazor's own tests do it.</summary>
public abstract class MudTestContext : BunitContext
{
    protected MudTestContext()
        : this(null)
    {
    }

    /// <summary>Lets a derived context add services before anything resolves one (the renderer info does).</summary>
    protected MudTestContext(Action<MudTestContext>? configure)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        configure?.Invoke(this);
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Renders the popover provider that selects and menus open into.</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();
}
