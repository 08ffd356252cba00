using AngleSharp.Dom;
using Bunit;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Settings;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Settings;

/// <summary>The Settings panel's allowed origins, as part of the settings form.</summary>
public sealed class AllowedOriginsEditorTests : MudTestContext
{
    private WorkspaceSettings? _saved;

    private IRenderedComponent<SettingsForm> RenderForm(WorkspaceSettings settings) =>
        Render<SettingsForm>(p => p
            .Add(f => f.Settings, settings)
            .Add(f => f.OnSave, (WorkspaceSettings s) => _saved = s));

    private static IElement Button(IRenderedComponent<SettingsForm> form, string text) =>
        form.FindAll("button").First(b => b.TextContent.Trim() == text);

    private static void Add(IRenderedComponent<SettingsForm> form, string origin)
    {
        form.Find("[data-testid='new-origin'] input, input[data-testid='new-origin']").Input(origin);
        Button(form, "Add origin").Click();
    }

    [Fact]
    public void WithNoOriginListedTheFormSaysAnyWebsiteIsAccepted()
    {
        var form = RenderForm(new WorkspaceSettings());

        form.Markup.ShouldContain("No origin is listed: any website is accepted.");
    }

    [Fact]
    public void AnOriginWithAPathIsExplainedAndNotAdded()
    {
        var form = RenderForm(new WorkspaceSettings());

        Add(form, "https://shop.example.com/checkout");

        form.Markup.ShouldContain("an origin has no path, query or credentials; write https://shop.example.com");
        form.Find("[data-testid='allowed-origins']").TextContent.ShouldNotContain("shop.example.com");
        Button(form, "Save settings").HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public void AnAddedOriginIsListedAsBrowsersSendItAndSaved()
    {
        var form = RenderForm(new WorkspaceSettings());

        Add(form, "HTTPS://Shop.Example.com/");
        Button(form, "Save settings").Click();

        form.Find("[data-testid='allowed-origins']").TextContent.ShouldContain("https://shop.example.com");
        _saved!.AllowedOrigins.ShouldBe(["https://shop.example.com"]);
    }

    [Fact]
    public void TheSameOriginTwiceIsRefused()
    {
        var form = RenderForm(new WorkspaceSettings { AllowedOrigins = ["https://shop.example.com"] });

        Add(form, "https://shop.example.com:443");

        form.Markup.ShouldContain("https://shop.example.com is already allowed.");
    }
}
