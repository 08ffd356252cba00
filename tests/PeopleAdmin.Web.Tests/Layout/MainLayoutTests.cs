using Bunit;
using Microsoft.AspNetCore.Components;
using PeopleAdmin.Web.Components.Layout;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Layout;

public sealed class MainLayoutTests : MudTestContext
{
    public MainLayoutTests()
    {
        Authorization.SetAuthorized("owner@example.test");
        Authorization.SetRoles(PeopleAdmin.Core.Operators.OperatorRoles.Owner);
    }

    [Fact]
    public void TheLayoutShowsTheBrandTheNavigationAndThePage()
    {
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "the page body"))));

        layout.Find("a.pa-brand").TextContent.ShouldContain("PeopleAdmin");
        layout.Find("nav[aria-label='Main navigation']").ShouldNotBeNull();
        layout.Markup.ShouldContain("the page body");
    }

    [Fact]
    public async Task TheAppBarShowsTheSignedInOperatorWithChangePasswordAndSignOut()
    {
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(_ => { })));

        layout.Find(".pa-operator-email").TextContent.ShouldBe("owner@example.test");
        layout.Find(".pa-operator-role").TextContent.ShouldBe("Owner");
        await layout.Find(".pa-operator-button").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        layout.Find("a[href='Account/Manage/ChangePassword']").TextContent.ShouldContain("Change password");
        var signOut = layout.Find("form[action='Account/Logout']");
        signOut.GetAttribute("method").ShouldBe("post");
        signOut.QuerySelector("button[type='submit']")!.TextContent.ShouldContain("Sign out");
    }

    [Fact]
    public void TheThemeToggleSwitchesToDarkAndRemembersTheChoice()
    {
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(_ => { })));

        layout.Find("button[aria-label='Switch to dark theme']").Click();

        layout.Find("button[aria-label='Switch to light theme']").ShouldNotBeNull();
        JSInterop.VerifyInvoke("localStorage.setItem").Arguments.ShouldBe(["peopleadmin.theme", "dark"]);
    }

    [Fact]
    public void TheNavigationListsOnlyPagesThatExist()
    {
        var menu = Render<NavMenu>();

        var links = menu.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), inherit: false).Cast<RouteAttribute>())
            .Select(r => r.Template.TrimStart('/'))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        links.ShouldNotBeEmpty();
        links.ShouldAllBe(href => routes.Contains(href!.TrimStart('/')));
    }
}
