using Microsoft.Playwright;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

/// <summary>What the merge preview and the bulk confirmations say, in Chromium, when what the operator asks cannot be done.</summary>
public sealed class MergeAndBulkRefusalTests(BrowserFixture browser) : ConsoleTest(browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SearchingForSomeoneToMergeWithWhoIsNotThereSaysSoAndOffersNoMerge()
    {
        // Arrange
        var workspace = await DefaultWorkspaceIdAsync();
        var ann = await IdentifyAsync(workspace, "ann@example.test");
        await SignInAsync();

        // Act
        await OpenAsync($"/people/{ann}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Merge with…" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Merge with").FillAsync("nobody-by-that-name");

        // Assert
        await Expect(Page.GetByText("Nobody else's email or id starts with that.")).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true })).ToBeDisabledAsync();
        await KeepScreenshotAsync("merge-nobody-found");
    }

    [Fact]
    public async Task MergingTwoSelectedPeopleWhenOneWasDeletedMeanwhileShowsWhyAndMergesNothing()
    {
        // Arrange: both are on the page, then another operator (here the API) deletes one of them
        var workspace = await DefaultWorkspaceIdAsync();
        var ann = await IdentifyAsync(workspace, "ann@example.test");
        await IdentifyAsync(workspace, "bob@example.test");
        await SignInAsync();
        await OpenAsync("/people");
        await Page.GetByLabel("Select ann@example.test").CheckAsync();
        await Page.GetByLabel("Select bob@example.test").CheckAsync();
        await People.ExecuteAsync(new OperationContext(workspace, Sources.Api), new DeletePersonOperation(PersonReference.ForEmail("bob@example.test")), Ct);

        // Act
        await Page.GetByTestId("bulk-bar").GetByRole(AriaRole.Button, new() { Name = "Merge…" }).ClickAsync();

        // Assert
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByTestId("merge-problem")).ToContainTextAsync("does not exist. They may have been deleted or merged since the list was shown");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true })).ToBeDisabledAsync();
        await KeepScreenshotAsync("merge-other-deleted");
        (await People.GetPersonAsync(workspace, PersonReference.ForCioId(ann), Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task AddingPeopleToASegmentWhenTheWorkspaceHasNoneSaysWhereToMakeOneAndCannotBeConfirmed()
    {
        // Arrange
        var workspace = await DefaultWorkspaceIdAsync();
        await IdentifyAsync(workspace, "ann@example.test");
        await SignInAsync();

        // Act
        await OpenAsync("/people");
        await Page.GetByLabel("Select ann@example.test").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to segment" }).ClickAsync();

        // Assert
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByTestId("bulk-no-segments")).ToContainTextAsync("no manual segments yet");
        await Expect(dialog.GetByRole(AriaRole.Link, new() { Name = "Segments" })).ToHaveAttributeAsync("href", "/segments");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Add 1 person" })).ToBeDisabledAsync();
        await KeepScreenshotAsync("bulk-add-to-segment-none");
    }
}
