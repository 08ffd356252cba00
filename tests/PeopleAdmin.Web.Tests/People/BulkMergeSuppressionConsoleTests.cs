using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.BulkActions;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Web.Features.BulkActions;
using PeopleAdmin.Web.Features.People;
using PeopleAdmin.Web.Features.Suppressions;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.People;

/// <summary>Viewers see bulk actions, merges and suppressions and change nothing: the server refuses, whatever the page shows.</summary>
public sealed class BulkMergeSuppressionConsoleTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task AViewerSeesTheSuppressionListWithoutUnsuppressAndTheServerRefusesTheirUnsuppress()
    {
        // Arrange
        await IdentifyAsync("ann@example.test");
        await SuppressAsync("ann@example.test");
        SignIn("viewer@example.test");
        var console = Services.GetRequiredService<PeopleConsole>();

        // Act
        var page = Render<SuppressionsPage>();
        await page.WaitForAssertionAsync(() => page.FindAll("[data-testid=suppression-row]").Count.ShouldBe(1), TimeSpan.FromSeconds(15));
        var entry = (await console.SuppressionsAsync(null, 0, 10, Ct)).Entries.Single();
        var refused = await console.UnsuppressAsync(entry, Ct);

        // Assert
        page.Find("[data-testid=suppression-row]").TextContent.ShouldContain("ann@example.test");
        page.Find("[data-testid=suppression-row]").TextContent.ShouldContain("api");
        page.FindAll("button").Select(b => b.TextContent.Trim()).ShouldNotContain("Unsuppress");
        refused.Error!.Message.ShouldContain("Viewers cannot change people");
        (await console.SuppressionsAsync(null, 0, 10, Ct)).Total.ShouldBe(1);
    }

    [Fact]
    public async Task AViewersBulkActionMergeAndUndoAreRefusedOnTheServer()
    {
        // Arrange
        var a = await IdentifyAsync("a@example.test");
        var b = await IdentifyAsync("b@example.test");
        var people = Services.GetRequiredService<PeopleService>();
        var merged = await people.ExecuteAsync(new OperationContext(WorkspaceId, Sources.Api), new MergeOperation(PersonReference.ForCioId(a), PersonReference.ForCioId(b)), Ct);
        SignIn("viewer@example.test");

        // Act
        var (job, problem) = await Services.GetRequiredService<BulkActionsConsole>().StartAsync(
            new BulkActionRequestDraft(BulkActionKind.Delete, BulkActionTarget.Matching(AudienceFilter.Everyone), "everyone"), Ct);
        var merge = await Services.GetRequiredService<PeopleConsole>().MergeAsync(a, "ghost", Ct);
        var undo = await Services.GetRequiredService<PeopleConsole>().UndoMergeAsync(merged.RecordId!.Value, Ct);

        // Assert
        job.ShouldBeNull();
        problem.ShouldBe("Viewers cannot change people: ask an Editor, an Admin or the Owner.");
        merge.Error!.Message.ShouldContain("Viewers cannot change people");
        undo.Error!.Message.ShouldContain("Viewers cannot change people");
        (await people.ListMergesAsync(WorkspaceId, null, Ct)).Single().Undone.ShouldBeNull();
    }

    [Fact]
    public async Task AnEditorsUnsuppressTakesTheWholeGroupOffTheListAndIsAudited()
    {
        // Arrange: a person with an id and an email suppressed as one group, and another suppression
        await IdentifyAsync("u-1", ("email", "ann@example.test"));
        await SuppressAsync("u-1");
        await SuppressAsync("other@example.test");
        SignIn("editor@example.test", "CanEditPeople");
        var console = Services.GetRequiredService<PeopleConsole>();
        var found = await console.SuppressionsAsync("ANN@", 0, 10, Ct);

        // Act
        var result = await console.UnsuppressAsync(found.Entries.Single(), Ct);

        // Assert
        result.Status.ShouldBe(OperationStatus.Applied);
        (await console.SuppressionsAsync(null, 0, 10, Ct)).Entries.Select(e => e.Value).ShouldBe(["other@example.test"]);
        var audited = await Services.GetRequiredService<AuditTrail>().SearchAsync(new AuditQuery(Kind: "People"), 0, 10, Ct);
        audited.Entries.Single().Detail.ShouldBe($"workspace {WorkspaceId}: email ann@example.test and its group taken off the suppression list");
        audited.Entries.Single().Actor.ShouldBe("editor@example.test");
    }

    [Fact]
    public async Task AMergedAwayProfileSaysWhoItWasMergedIntoAndWhereToUndoIt()
    {
        // Arrange
        var a = await IdentifyAsync("a@example.test");
        var b = await IdentifyAsync("b@example.test");
        await Services.GetRequiredService<PeopleService>().ExecuteAsync(
            new OperationContext(WorkspaceId, Sources.Api), new MergeOperation(PersonReference.ForCioId(a), PersonReference.ForCioId(b)), Ct);
        SignIn("viewer@example.test");

        // Act
        var page = Render<PersonProfilePage>(p => p.Add(x => x.CioId, $"cio_{b}"));

        // Assert
        await page.WaitForAssertionAsync(() => page.Find("[data-testid=merged-into]").TextContent.ShouldContain($"cio_{b} was merged into cio_{a}"), TimeSpan.FromSeconds(15));
        page.Find("[data-testid=merged-into] a").GetAttribute("href").ShouldBe($"/people/{a}");
    }

    private Task<OperationResult> SuppressAsync(string identifier) =>
        Services.GetRequiredService<PeopleService>().ExecuteAsync(
            new OperationContext(WorkspaceId, Sources.Api), new SuppressOperation(PersonReference.Classify(identifier, Core.Workspaces.IdentifierMode.EmailOrId)), Ct);
}
