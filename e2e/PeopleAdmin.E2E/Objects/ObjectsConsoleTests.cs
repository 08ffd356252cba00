using Microsoft.Playwright;
using PeopleAdmin.E2E.Console;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Objects;

/// <summary>Objects in the browser: a type made in Settings, an account object, people related to it from both sides.</summary>
public sealed class ObjectsConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    [Fact]
    public async Task AnOwnerCreatesATypeAndAnAccountRelatesThreePeopleSeesThemEverywhereAndRemovesOne()
    {
        var workspaceId = await DefaultWorkspaceIdAsync();
        var ann = await IdentifyAsync(workspaceId, "ann@example.test");
        var bob = await IdentifyAsync(workspaceId, "bob@example.test");
        var cy = await IdentifyAsync(workspaceId, "cy@example.test");
        await SignInAsync();

        await OpenAsync("/settings");
        await Page.GetByRole(AriaRole.Button, new() { Name = "New object type" }).ClickAsync();
        await Page.GetByLabel("Object type name").FillAsync("Accounts");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(Page.GetByTestId("object-types").GetByRole(AriaRole.Link, new() { Name = "Accounts" })).ToBeVisibleAsync();
        await KeepScreenshotAsync("object-types");

        await Page.GetByTestId("objects-nav").GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
        await Expect(Page.GetByTestId("objects-empty")).ToContainTextAsync("No accounts yet");
        await KeepScreenshotAsync("objects-empty");
        await Page.GetByTestId("objects-empty").GetByRole(AriaRole.Button, new() { Name = "New object" }).ClickAsync();
        var create = Page.GetByRole(AriaRole.Dialog);
        await create.GetByLabel("object_id").FillAsync("acme");
        await create.GetByRole(AriaRole.Button, new() { Name = "Add attribute" }).ClickAsync();
        await create.GetByLabel("Attribute 1 name").FillAsync("plan");
        await create.GetByLabel("Attribute 1 value").FillAsync("enterprise");
        await create.GetByRole(AriaRole.Button, new() { Name = "Add object" }).ClickAsync();
        await Expect(Page.GetByTestId("object-title")).ToHaveTextAsync("acme");
        await Expect(Page.GetByTestId("object-attributes")).ToContainTextAsync("enterprise");

        foreach (var (email, role) in new[] { ("ann@example.test", "owner"), ("bob@example.test", "admin"), ("cy@example.test", "member") })
        {
            await Page.GetByTestId("related-people").GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
            var relate = Page.GetByRole(AriaRole.Dialog);
            await relate.GetByLabel("Person").FillAsync(email);
            await relate.GetByRole(AriaRole.Button, new() { Name = "Add attribute" }).ClickAsync();
            await relate.GetByLabel("Attribute 1 name").FillAsync("role");
            await relate.GetByLabel("Attribute 1 value").FillAsync(role);
            await relate.GetByRole(AriaRole.Button, new() { Name = "Relate" }).ClickAsync();
            await Expect(Page.GetByTestId("related-people").GetByRole(AriaRole.Link, new() { Name = email })).ToBeVisibleAsync();
        }

        await Expect(Page.GetByTestId("related-people").GetByRole(AriaRole.Row)).ToHaveCountAsync(4);
        await KeepScreenshotAsync("object-profile");

        foreach (var (cioId, role) in new[] { (ann, "owner"), (bob, "admin"), (cy, "member") })
        {
            await OpenAsync($"/people/{cioId}");
            await Page.GetByRole(AriaRole.Tab, new() { Name = "Relationships" }).ClickAsync();
            var relationships = Page.GetByTestId("relationships");
            await Expect(relationships.GetByRole(AriaRole.Link, new() { Name = "acme" })).ToBeVisibleAsync();
            await Expect(relationships).ToContainTextAsync($"role: {role}");
        }

        await KeepScreenshotAsync("person-relationships");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Remove relationship to acme" }).ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove relationship" }).ClickAsync();
        await Expect(Page.GetByTestId("relationships-empty")).ToBeVisibleAsync();
        await KeepScreenshotAsync("person-relationships-removed");

        await Page.GetByTestId("objects-nav").GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
        await Expect(Page.GetByTestId("objects-table")).ToContainTextAsync("acme");
        await KeepScreenshotAsync("objects-list");
        await Page.GetByTestId("objects-table").GetByRole(AriaRole.Link, new() { Name = "acme" }).ClickAsync();
        var remaining = Page.GetByTestId("related-people");
        await Expect(remaining.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);
        await Expect(remaining.GetByRole(AriaRole.Link, new() { Name = "cy@example.test" })).ToHaveCountAsync(0);
    }
}
