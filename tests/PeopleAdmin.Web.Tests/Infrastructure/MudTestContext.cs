using Bunit;
using Bunit.TestDoubles;
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
        // bUnit's default of one second is too short on a 2-core CI machine running several test hosts: waits that
        // involve the database (the profile's load, a save) time out there while nothing is wrong.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        // Signed out until a test says otherwise; the layout's operator menu needs an authentication state.
        Authorization = AddAuthorization();
        configure?.Invoke(this);
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Renders the popover provider that selects and menus open into.</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();
}
