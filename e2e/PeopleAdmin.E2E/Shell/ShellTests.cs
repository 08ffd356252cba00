using Microsoft.Playwright;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Shell;

public sealed class ShellTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task TheHomePageSaysWhatPeopleAdminIsInAStyledLayout()
    {
        await SignInAsync();
        await Page.GotoAsync("/");
        await WaitForInteractiveAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to PeopleAdmin" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" })).ToBeVisibleAsync();
        var appBarColour = await Page.Locator("header.mud-appbar").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        appBarColour.ShouldNotBe("rgba(0, 0, 0, 0)", "MudBlazor's stylesheet styles the app bar");
        await KeepScreenshotAsync("home");
    }

    [Fact]
    public async Task TheThemeToggleSwitchesToDarkAndTheChoiceSurvivesAReload()
    {
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await SignInAsync();
        await Page.GotoAsync("/");
        await WaitForInteractiveAsync();
        var lightBackground = await BodyBackgroundAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" })).ToBeVisibleAsync();
        await Expect(Page.Locator("body")).Not.ToHaveCSSAsync("background-color", lightBackground);
        await KeepScreenshotAsync("home-dark");

        await Page.ReloadAsync();
        await WaitForInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheThemeFollowsTheSystemUntilTheOperatorPicksOne()
    {
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await SignInAsync();
        await Page.GotoAsync("/");
        await WaitForInteractiveAsync();

        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" })).ToBeVisibleAsync();
    }

    private Task<string> BodyBackgroundAsync() =>
        Page.Locator("body").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
}
