using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Operators;

public sealed partial class SignInTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string WrongSignIn = "The email or password is not right. After 5 failed sign-ins an account is locked for 15 minutes.";

    [Fact]
    public async Task AnOperatorSignsOutAndInAgain()
    {
        await SignInAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = OwnerEmail })).ToContainTextAsync("Owner");

        await Page.GetByRole(AriaRole.Button, new() { Name = OwnerEmail }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Menuitem, new() { Name = "Change password" })).ToBeVisibleAsync();
        await KeepScreenshotAsync("operator-menu");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(LoginUrl());
        await Page.GotoAsync("/");
        await Expect(Page).ToHaveURLAsync(LoginUrl());
        await SignInAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to PeopleAdmin" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AWrongPasswordShowsAnError()
    {
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await Page.GotoAsync("/");
        await Expect(Page).ToHaveURLAsync(LoginUrl());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await KeepScreenshotAsync("sign-in");

        await Page.GetByLabel("Email").FillAsync(OwnerEmail);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync("not the password");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(WrongSignIn);
        await Expect(Page).ToHaveURLAsync(LoginUrl());
        await Expect(Page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync("");
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await KeepScreenshotAsync("sign-in-error-dark");
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccount()
    {
        await Page.GotoAsync("Account/Login");
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await TrySignInAsync("not the password");
            await Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(WrongSignIn);
            await Expect(Page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync("");
        }

        await TrySignInAsync("not the password");
        await Expect(Page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync("");
        await TrySignInAsync(OwnerPassword);
        await Expect(Page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync("");

        // A locked account answers as a wrong password does, so that the page does not tell which emails are operators.
        await Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(WrongSignIn);
        await Expect(Page).ToHaveURLAsync(LoginUrl());
        await KeepScreenshotAsync("lockout");
    }

    [Fact]
    public async Task AnOperatorChangesTheirPassword()
    {
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await SignInAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = OwnerEmail }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Change password" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(ChangePasswordUrl());
        await KeepScreenshotAsync("change-password");

        await Page.GetByLabel("Current password").FillAsync(OwnerPassword);
        await Page.GetByLabel("New password", new() { Exact = true }).FillAsync("an even better passphrase");
        await Page.GetByLabel("Confirm new password").FillAsync("an even better passphrase");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your password has been changed.");
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await KeepScreenshotAsync("change-password-done-dark");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Back to PeopleAdmin" }).ClickAsync();
        await WaitForInteractiveAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = OwnerEmail }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(LoginUrl());
        await SignInAsync(OwnerEmail, "an even better passphrase");
    }

    private async Task TrySignInAsync(string password)
    {
        await Page.GetByLabel("Email").FillAsync(OwnerEmail);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [GeneratedRegex("/Account/Login(\\?.*)?$")]
    private static partial Regex LoginUrl();

    [GeneratedRegex("/Account/Manage/ChangePassword$")]
    private static partial Regex ChangePasswordUrl();
}
