using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

/// <summary>The People page acting on many, merging with a preview and undo, and the Suppressions page, in Chromium.</summary>
public sealed class BulkMergeSuppressionConsoleTests(BrowserFixture browser) : ConsoleTest(browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SelectingEveryoneAFilterMatchesAddsThemAllToASegmentWithProgressAndASummary()
    {
        // Arrange: more people on the pro plan than one page holds, two on another plan, and a segment
        var workspace = await DefaultWorkspaceIdAsync();
        var context = new OperationContext(workspace, Sources.Api);
        await People.ExecuteBatchAsync(context,
            [.. Enumerable.Range(1, 55).Select(i => new IdentifyOperation(PersonReference.ForEmail($"pro{i:00}@example.test"), new Dictionary<string, AttributeValue> { ["plan"] = AttributeValue.FromString("pro") }))],
            Ct);
        await IdentifyAsync(workspace, "free1@example.test", ("plan", "free"));
        await IdentifyAsync(workspace, "free2@example.test", ("plan", "free"));
        var segment = (int)(await People.ExecuteAsync(context, new CreateSegmentOperation("Pro customers", null), Ct)).RecordId!.Value;
        await SignInAsync();

        // Act
        await OpenAsync("/people?filter=" + Uri.EscapeDataString("""{"attribute":{"field":"plan","operator":"eq","value":"pro"}}"""));
        await Expect(Page.GetByTestId("filter-count")).ToHaveTextAsync("55 people match this filter");
        await Page.GetByLabel("Select everyone on this page").CheckAsync();
        await Expect(Page.GetByTestId("bulk-selection")).ToHaveTextAsync("50 selected");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Select all 55 people who match" }).ClickAsync();
        await Expect(Page.GetByTestId("bulk-selection")).ToHaveTextAsync("All 55 people who match this filter are selected.");
        await KeepScreenshotAsync("bulk-all-matching-selected");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to segment" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Add 55 people to a segment");
        await dialog.GetByLabel("Segment").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Pro customers (0 members)" }).ClickAsync();
        await KeepScreenshotAsync("bulk-add-to-segment-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add 55 people" }).ClickAsync();

        // Assert
        await Expect(Page.GetByTestId("bulk-action-status")).ToHaveTextAsync("Done: 55 of 55 people added", new() { Timeout = 30_000 });
        await Expect(Page.GetByTestId("bulk-actions")).ToContainTextAsync("Add to segment \"Pro customers\"");
        await KeepScreenshotAsync("bulk-add-to-segment-done");
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        (await db.SegmentMemberships.CountAsync(m => m.SegmentId == segment, Ct)).ShouldBe(55);
    }

    [Fact]
    public async Task DeletingTwoSelectedPeopleAsksWithTheCountAndLeavesTheOthers()
    {
        // Arrange
        var workspace = await DefaultWorkspaceIdAsync();
        await IdentifyAsync(workspace, "ann@example.test");
        await IdentifyAsync(workspace, "bob@example.test");
        await IdentifyAsync(workspace, "cat@example.test");
        await SignInAsync();

        // Act
        await OpenAsync("/people");
        await Page.GetByLabel("Select ann@example.test").CheckAsync();
        await Page.GetByLabel("Select cat@example.test").CheckAsync();
        await Expect(Page.GetByTestId("bulk-selection")).ToHaveTextAsync("2 selected");
        await Page.GetByTestId("bulk-bar").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Delete 2 people?");
        await Expect(dialog).ToContainTextAsync("This cannot be undone.");
        await KeepScreenshotAsync("bulk-delete-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete 2 people" }).ClickAsync();

        // Assert: the list shows who is left once the action is done
        await Expect(Page.GetByTestId("bulk-action-status")).ToHaveTextAsync("Done: 2 of 2 people deleted", new() { Timeout = 30_000 });
        var rows = Page.GetByTestId("people-grid").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("bob@example.test");
        await KeepScreenshotAsync("bulk-delete-done");
    }

    [Fact]
    public async Task MergingTwoPeopleThroughThePreviewAndUndoingItFromTheMergesTab()
    {
        // Arrange: the older profile has an id and a plan, the younger an email, a plan of its own and a city
        var workspace = await DefaultWorkspaceIdAsync();
        var older = await IdentifyAsync(workspace, "u-100", ("plan", "pro"));
        var younger = await IdentifyAsync(workspace, "ann.other@example.test", ("plan", "free"), ("city", "Lyon"));
        await SignInAsync();

        // Act: merge from the older one's profile
        await OpenAsync($"/people/{older}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Merge with…" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Merge with").FillAsync("ann.other");
        await Page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("ann.other@example.test") }).ClickAsync();
        await Expect(dialog.GetByTestId("merge-primary-reason")).ToContainTextAsync($"cio_{older} stays");
        // The one that stays wins where both have a value; the other fills what it lacks
        await Expect(dialog.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^plan ") }).GetByRole(AriaRole.Cell).Last).ToHaveTextAsync("pro");
        await Expect(dialog.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^city ") }).GetByRole(AriaRole.Cell).Last).ToHaveTextAsync("Lyon");
        await Expect(dialog.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^email ") }).GetByRole(AriaRole.Cell).Last).ToHaveTextAsync("ann.other@example.test");
        await Expect(dialog.GetByTestId("merge-moves")).ToContainTextAsync("0 events");
        await KeepScreenshotAsync("merge-preview");
        await dialog.GetByRole(AriaRole.Button, new() { Name = $"Merge cio_{younger} into cio_{older}" }).ClickAsync();

        // Assert: the profile that stays shows the email it took; its Merges tab undoes the merge
        await Expect(Page.GetByTestId("person-email")).ToContainTextAsync("ann.other@example.test");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Merges" }).ClickAsync();
        await Expect(Page.GetByTestId("merge-row")).ToContainTextAsync($"cio_{younger}");
        await KeepScreenshotAsync("merge-history");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Undo merge" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync($"cio_{younger} comes back as it was when merged");
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Undo merge" }).ClickAsync();
        await Expect(Page.GetByTestId("merge-row")).ToContainTextAsync("Undone");
        await Expect(Page.GetByTestId("person-email")).Not.ToContainTextAsync("ann.other@example.test");
        await KeepScreenshotAsync("merge-undone");
        (await People.GetPersonAsync(workspace, PersonReference.ForCioId(younger), Ct))!.Email.ShouldBe("ann.other@example.test");
    }

    [Fact]
    public async Task UnsuppressingAnIdentifierSaysALaterIdentifyStartsAfreshAndTakesItOffTheList()
    {
        // Arrange
        var workspace = await DefaultWorkspaceIdAsync();
        await IdentifyAsync(workspace, "gone@example.test");
        await People.ExecuteAsync(new OperationContext(workspace, Sources.Api), new SuppressOperation(PersonReference.ForEmail("gone@example.test")), Ct);
        await SignInAsync();

        // Act
        await OpenAsync("/suppressions");
        var row = Page.GetByTestId("suppression-row");
        await Expect(row).ToContainTextAsync("gone@example.test");
        await Expect(row).ToContainTextAsync("api");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Unsuppress gone@example.test" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("a later identify creates a new person, with a new cio_id and without the old history");
        await KeepScreenshotAsync("suppressions-unsuppress-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Unsuppress" }).ClickAsync();

        // Assert
        await Expect(Page.GetByTestId("suppressions-empty")).ToContainTextAsync("Nothing is suppressed.");
        await KeepScreenshotAsync("suppressions-empty");
        (await People.ListSuppressionsAsync(workspace, Ct)).ShouldBeEmpty();
    }
}
