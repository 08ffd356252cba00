using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Operators;

public sealed partial class FirstRunTests(BrowserFixture browser) : BrowserTest(browser)
{
    // No owner from configuration: the app starts on an empty database.
    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>();

    [Fact]
    public async Task FirstRunSetupCreatesTheOwnerAndLandsOnTheHomePage()
    {
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await Page.GotoAsync("/");
        await Expect(Page).ToHaveURLAsync(SetupUrl());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Set up PeopleAdmin" })).ToBeVisibleAsync();
        await KeepScreenshotAsync("setup");
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await KeepScreenshotAsync("setup-dark");

        await Page.GetByLabel("Email").FillAsync("first-owner@example.test");
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync("a long enough password");
        await Page.GetByLabel("Confirm password").FillAsync("a long enough password");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create owner account" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(BaseAddress.ToString());
        await WaitForInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to PeopleAdmin" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "first-owner@example.test" })).ToContainTextAsync("Owner");
    }

    [Fact]
    public async Task SetupIsGoneOnceTheOwnerExists()
    {
        await Page.GotoAsync("setup");
        await Page.GetByLabel("Email").FillAsync("first-owner@example.test");
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync("a long enough password");
        await Page.GetByLabel("Confirm password").FillAsync("a long enough password");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create owner account" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(BaseAddress.ToString());

        await Page.GotoAsync("setup");

        await Expect(Page).ToHaveURLAsync(BaseAddress.ToString());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to PeopleAdmin" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AWeakPasswordIsRefusedWithTheRule()
    {
        await Page.GotoAsync("setup");
        await Page.GetByLabel("Email").FillAsync("first-owner@example.test");
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync("short");
        await Page.GetByLabel("Confirm password").FillAsync("short");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Create owner account" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("at least 12 characters");
        await Expect(Page).ToHaveURLAsync(SetupUrl());
    }

    [GeneratedRegex("/setup$")]
    private static partial Regex SetupUrl();
}
