using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Console;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Forms;

/// <summary>
/// A website owner collects people with a plain HTML form and no other code: the form is created on the Forms page,
/// its HTML pasted into a page of another origin (a second local server), and a visitor's submission goes through the
/// hosted action.
/// </summary>
public sealed partial class HostedFormTests(BrowserFixture browser) : ConsoleTest(browser)
{
    private const string SuccessPage = "<!DOCTYPE html><html lang=\"en\"><head><title>Thanks</title></head><body><h1>Thanks for signing up</h1></body></html>";

    private static string PageWith(string form) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shop</title></head><body><h1>Our newsletter</h1>{form}</body></html>";

    private async Task AllowOriginsAsync(params string[] origins)
    {
        var workspaceId = await DefaultWorkspaceIdAsync();
        var result = await People.ExecuteAsync(new OperationContext(workspaceId, Sources.Ui, OwnerEmail),
            new ChangeSettingsOperation(new SettingsPatch { AllowedOrigins = origins }), TestContext.Current.CancellationToken);
        result.Status.ShouldBe(OperationStatus.Applied);
        await Server.Services.GetRequiredService<PeopleAdmin.Core.Workspaces.WorkspaceDirectory>().InvalidateAsync(workspaceId, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task APlainHtmlFormOnAnotherOriginAddsThePersonAndLandsOnTheSuccessUrl()
    {
        // Arrange: the owner creates the form on the Forms page and copies its HTML.
        var ct = TestContext.Current.CancellationToken;
        await using var site = await OtherSite.StartAsync(new Dictionary<string, string> { ["/thanks"] = SuccessPage });
        await AllowOriginsAsync(site.OriginText);
        await SignInAsync();
        await OpenAsync("/forms");
        await Expect(Page.GetByTestId("forms-empty")).ToContainTextAsync("No forms yet");
        await KeepScreenshotAsync("forms-empty");
        await Page.GetByRole(AriaRole.Button, new() { Name = "New form" }).ClickAsync();
        await Page.GetByLabel("Form name").FillAsync("Newsletter");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create form" }).ClickAsync();
        var editor = Page.GetByTestId("form-editor");
        await Expect(editor).ToContainTextAsync("newsletter");
        await Page.GetByLabel("Success URL").FillAsync(site.Url("/thanks").ToString());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save form" }).ClickAsync();
        await Expect(Page.GetByText("Form saved.")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("success-url-warning")).ToHaveCountAsync(0);
        await KeepScreenshotAsync("forms-page");
        var html = await Page.GetByTestId("html-example").InnerTextAsync();

        // Act: a visitor fills the pasted form on the other site.
        await using var shop = await OtherSite.StartAsync(new Dictionary<string, string> { ["/"] = PageWith(html) });
        await OpenAsync("/settings");
        await Page.GetByLabel("Origin to allow").FillAsync(shop.OriginText + "/");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add origin" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(Page.GetByText("Settings saved")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("allowed-origins")).ToContainTextAsync(shop.OriginText);
        await KeepScreenshotAsync("settings-allowed-origins");
        await Page.GotoAsync(shop.Url("/").ToString());
        await Page.GetByLabel("Email").FillAsync("visitor@example.test");
        await Page.GetByLabel("First name").FillAsync("Vera");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        // Assert
        await Expect(Page).ToHaveURLAsync(site.Url("/thanks").ToString());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Thanks for signing up" })).ToBeVisibleAsync();
        var person = await People.GetPersonAsync(await DefaultWorkspaceIdAsync(), PersonReference.ForEmail("visitor@example.test"), ct);
        person!.Attributes.Select(a => $"{a.Name}={a.Value}").ShouldBe(["first_name=Vera"]);

        await OpenAsync($"/people/{person.CioId}");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Activity" }).ClickAsync();
        await Expect(Page.GetByText("form_submit").First).ToBeVisibleAsync();
        await KeepScreenshotAsync("person-form-submit");
        await OpenAsync("/forms");
        await Expect(Page.GetByRole(AriaRole.Row, new() { NameRegex = NewsletterRow() })).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Newsletter" }).ClickAsync();
        await Expect(Page.GetByTestId("field-row")).ToHaveCountAsync(2);
        await KeepScreenshotAsync("forms-fields");
    }

    [Fact]
    public async Task ASuccessUrlOnAnOriginThatIsNotAllowedGetsTheThankYouPage()
    {
        // Arrange
        var forms = Server.Services.GetRequiredService<FormsService>();
        var workspaceId = await DefaultWorkspaceIdAsync();
        var context = new OperationContext(workspaceId, Sources.Ui, OwnerEmail);
        var (id, _) = await forms.CreateAsync(context, "Newsletter", null, TestContext.Current.CancellationToken);
        (await forms.UpdateAsync(context, id!.Value, new FormChange("Newsletter", true, "https://elsewhere.example.net/thanks", []), TestContext.Current.CancellationToken)).ShouldBeNull();
        await using var page = await OtherSite.StartAsync(new Dictionary<string, string>
        {
            ["/"] = PageWith($"""<form action="{BaseAddress}forms/{SiteId}/newsletter" method="post"><label>Email <input type="email" name="email"></label><button type="submit">Send</button></form>"""),
        });
        await AllowOriginsAsync(page.OriginText);

        // Act
        await Page.GotoAsync(page.Url("/").ToString());
        await Page.GetByLabel("Email").FillAsync("visitor@example.test");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        // Assert
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Thank you" })).ToBeVisibleAsync();
        await Expect(Page).ToHaveURLAsync($"{BaseAddress}forms/{SiteId}/newsletter");
        await KeepScreenshotAsync("hosted-form-thank-you");
        (await People.GetPersonAsync(workspaceId, PersonReference.ForEmail("visitor@example.test"), TestContext.Current.CancellationToken)).ShouldNotBeNull();
    }

    [GeneratedRegex("Newsletter.*newsletter.*1")]
    private static partial Regex NewsletterRow();
}
