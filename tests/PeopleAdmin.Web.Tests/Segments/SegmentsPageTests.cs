using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.People;
using PeopleAdmin.Web.Features.Segments;
using PeopleAdmin.Web.Features.Shared;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Segments;

/// <summary>The Segments pages: the list, a segment's members, and the dialogs that change them.</summary>
public sealed class SegmentsPageTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private PeopleService People => Services.GetRequiredService<PeopleService>();

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private async Task<int> SegmentAsync(string name, params string[] members)
    {
        var context = new OperationContext(WorkspaceId, Sources.Ui, "owner@example.test");
        var id = (int)(await People.ExecuteAsync(context, new CreateSegmentOperation(name, null), Ct)).RecordId!;
        foreach (var member in members)
        {
            await IdentifyAsync(member);
        }

        if (members.Length > 0)
        {
            await People.ExecuteAsync(context, new AddToSegmentOperation(id, [.. members.Select(m => PersonReference.Classify(m, default))]), Ct);
        }

        return id;
    }

    private async Task<List<string?>> MemberEmailsAsync(int segmentId) =>
        [.. (await People.ListSegmentMembersAsync(new SegmentMembersQuery(WorkspaceId, segmentId, null, 0, 100), Ct)).Members.Select(m => m.Email ?? m.Id)];

    private static AngleSharp.Dom.IElement Button<T>(IRenderedComponent<T> rendered, string text)
        where T : IComponent =>
        rendered.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private IRenderedComponent<SegmentPage> RenderSegment(int id)
    {
        Navigation.NavigateTo(SegmentPage.Href(id));
        var page = Render<SegmentPage>(p => p.Add(s => s.SegmentId, id));
        page.WaitForAssertion(() => page.Find("[data-testid='segment-title']"));
        return page;
    }

    /// <summary>An Editor's segment page, with the provider its dialogs open into.</summary>
    private (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<SegmentPage> Page) RenderSegmentForEditor(int id)
    {
        SignIn("editor@example.test", "CanEditPeople");
        var dialogs = Render<MudDialogProvider>();
        return (dialogs, RenderSegment(id));
    }

    [Fact]
    public void AnEmptyWorkspaceSaysHowToMakeTheFirstSegment()
    {
        SignIn("editor@example.test", "CanEditPeople");

        var page = Render<SegmentsPage>();

        page.WaitForAssertion(() => page.Find("[data-testid='segments-empty']").TextContent.ShouldContain("Create one with New segment"));
    }

    [Fact]
    public async Task AnEditorCreatesASegmentAndLandsOnItsPage()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<SegmentsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid='segments-empty']"));

        page.FindAll("button").First(b => b.TextContent.Trim() == "New segment").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-testid='segment-name']"));
        dialogs.Find("input[data-testid='segment-name']").Input("Fair leads");
        dialogs.Find("textarea[data-testid='segment-description']").Change("met at the spring fair");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Create segment").Click();

        dialogs.WaitForAssertion(() => dialogs.FindAll("input[data-testid='segment-name']").ShouldBeEmpty());
        var created = (await People.ListSegmentsAsync(WorkspaceId, Ct)).Single();
        (created.Name, created.Description).ShouldBe(("Fair leads", "met at the spring fair"));
        Navigation.Uri.ShouldEndWith(SegmentPage.Href(created.Id));
    }

    [Fact]
    public async Task ATakenNameKeepsTheDialogOpenAndSaysWhy()
    {
        await SegmentAsync("Fair leads");
        SignIn("editor@example.test", "CanEditPeople");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<SegmentsPage>();
        page.WaitForAssertion(() => page.Find("table"));

        page.FindAll("button").First(b => b.TextContent.Trim() == "New segment").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-testid='segment-name']"));
        dialogs.Find("input[data-testid='segment-name']").Input(" Fair leads ");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Create segment").Click();

        dialogs.WaitForAssertion(() => dialogs.Find(".mud-dialog").TextContent.ShouldContain("A segment named \"Fair leads\" already exists."));
        (await People.ListSegmentsAsync(WorkspaceId, Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task TheListShowsEachSegmentWithItsMembersAndLinksToIt()
    {
        var id = await SegmentAsync("Fair leads", "ana@example.com", "bob@example.com");
        SignIn("viewer@example.test");

        var page = Render<SegmentsPage>();

        page.WaitForAssertion(() => page.FindAll("tbody td").Select(c => c.TextContent.Trim()).Take(3).ShouldBe(["Fair leads", "", "2"]));
        page.Find("tbody a").GetAttribute("href").ShouldBe(SegmentPage.Href(id));
        page.FindAll("button").ShouldNotContain(b => b.TextContent.Contains("New segment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MembersArePagedThroughTheQueryStringWithTheirRange()
    {
        var members = Enumerable.Range(1, SegmentsConsole.PageSize + 5).Select(i => $"m{i:00}@example.com").ToArray();
        var id = await SegmentAsync("Everyone", members);
        SignIn("viewer@example.test");

        var first = RenderSegment(id);
        first.WaitForAssertion(() => first.Find("[data-testid='members-range']").TextContent.ShouldBe("1–50 of 55"));
        first.FindAll("tbody tr").Count.ShouldBe(SegmentsConsole.PageSize);
        Navigation.NavigateTo($"{SegmentPage.Href(id)}?page=2");
        var second = Render<SegmentPage>(p => p.Add(s => s.SegmentId, id));

        second.WaitForAssertion(() => second.Find("[data-testid='members-range']").TextContent.ShouldBe("51–55 of 55"));
        second.FindAll("tbody tr a[href^='/people/']").Select(a => a.TextContent.Trim()).Where(t => t.Contains('@')).ShouldBe(members[50..]);
    }

    [Fact]
    public async Task APagePastTheEndShowsTheLastPage()
    {
        var id = await SegmentAsync("Everyone", [.. Enumerable.Range(1, SegmentsConsole.PageSize + 1).Select(i => $"m{i:00}@example.com")]);
        SignIn("viewer@example.test");
        Navigation.NavigateTo($"{SegmentPage.Href(id)}?page=9");

        var page = Render<SegmentPage>(p => p.Add(s => s.SegmentId, id));

        page.WaitForAssertion(() => page.Find("[data-testid='members-range']").TextContent.ShouldBe("51–51 of 51"));
    }

    [Fact]
    public async Task ASearchNarrowsTheMembersAndSaysWhenNobodyMatches()
    {
        var id = await SegmentAsync("Fair leads", "ana@example.com", "bob@example.com");
        SignIn("viewer@example.test");
        var page = RenderSegment(id);

        page.Find("input[data-testid='member-search']").Input("BO");
        page.Find("input[data-testid='member-search']").KeyUp(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        Navigation.Uri.ShouldEndWith($"{SegmentPage.Href(id)}?q=BO");
        page.WaitForAssertion(() => page.FindAll("tbody tr").Single().TextContent.ShouldContain("bob@example.com"));
        Navigation.NavigateTo($"{SegmentPage.Href(id)}?q=zed");
        var none = Render<SegmentPage>(p => p.Add(s => s.SegmentId, id));

        none.WaitForAssertion(() => none.Find("[data-testid='members-empty']").TextContent.ShouldBe("No member's email or id starts with \"zed\"."));
    }

    [Fact]
    public async Task AddingByIdentifierAddsWhoIsFoundAndLeavesTheUnknownToCorrect()
    {
        var id = await SegmentAsync("Fair leads");
        var ana = await IdentifyAsync("ana@example.com");
        await IdentifyAsync("u-7");
        var (dialogs, page) = RenderSegmentForEditor(id);

        Button(page, "Add people").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("textarea[data-testid='member-identifiers']"));
        dialogs.Find("textarea[data-testid='member-identifiers']").Input($"ANA@example.com\nghost@example.com, u-7\ncio_{ana}");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Add to segment").Click();

        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid='members-not-found']").TextContent.ShouldContain("Found 3 of 4 identifiers: those people are in the segment now."));
        dialogs.Find("textarea[data-testid='member-identifiers']").GetAttribute("value").ShouldBe("ghost@example.com");
        (await MemberEmailsAsync(id)).ShouldBe(["ana@example.com", "u-7"]);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Close").Click();
        page.WaitForAssertion(() => page.Find("[data-testid='segment-members']").TextContent.ShouldStartWith("2 members"));
    }

    [Fact]
    public async Task AnEmptyListOfIdentifiersIsRefusedInTheDialog()
    {
        var id = await SegmentAsync("Fair leads");
        var (dialogs, page) = RenderSegmentForEditor(id);

        Button(page, "Add people").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("textarea[data-testid='member-identifiers']"));
        dialogs.Find("textarea[data-testid='member-identifiers']").Input(" \n , ");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Add to segment").Click();

        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Enter between 1 and 1,000 identifiers, one per line; there were 0."));
    }

    [Fact]
    public async Task RemovingSelectedMembersAsksFirstThenRemovesOnlyThem()
    {
        var id = await SegmentAsync("Fair leads", "ana@example.com", "bob@example.com");
        var (dialogs, page) = RenderSegmentForEditor(id);

        page.FindAll("tbody input[type='checkbox']")[0].Change(true);
        page.WaitForAssertion(() => Button(page, "Remove 1 member from segment"));
        Button(page, "Remove 1 member from segment").Click();
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("This person leaves Fair leads."));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Remove from segment").Click();

        page.WaitForAssertion(() => page.Find("[data-testid='segment-members']").TextContent.ShouldStartWith("1 member "));
        (await MemberEmailsAsync(id)).ShouldBe(["bob@example.com"]);
    }

    [Fact]
    public async Task EditingRenamesAndDescribesTheSegment()
    {
        var id = await SegmentAsync("Fair leads");
        var (dialogs, page) = RenderSegmentForEditor(id);

        Button(page, "Edit").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-testid='segment-name']").GetAttribute("value").ShouldBe("Fair leads"));
        dialogs.Find("input[data-testid='segment-name']").Input("Spring fair leads");
        dialogs.Find("textarea[data-testid='segment-description']").Change("badge scans");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();

        page.WaitForAssertion(() => page.Find("[data-testid='segment-title']").TextContent.ShouldBe("Spring fair leads"));
        page.Find("[data-testid='segment-description']").TextContent.ShouldBe("badge scans");
    }

    [Fact]
    public async Task DeletingASegmentAsksFirstAndKeepsItsPeople()
    {
        var id = await SegmentAsync("Fair leads", "ana@example.com");
        var (dialogs, page) = RenderSegmentForEditor(id);

        Button(page, "Delete").Click();
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("the people stay in the workspace"));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete segment").Click();

        dialogs.WaitForAssertion(() => Navigation.Uri.ShouldEndWith("/segments"));
        (await People.ListSegmentsAsync(WorkspaceId, Ct)).ShouldBeEmpty();
        (await People.GetPersonAsync(WorkspaceId, PersonReference.ForEmail("ana@example.com"), Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task AViewerSeesMembersButNothingThatChangesThem()
    {
        var id = await SegmentAsync("Fair leads", "ana@example.com");
        SignIn("viewer@example.test");

        var page = RenderSegment(id);

        page.WaitForAssertion(() => page.Find("tbody").TextContent.ShouldContain("ana@example.com"));
        page.FindAll("button").Select(b => b.TextContent.Trim()).ShouldNotContain(t => t == "Add people" || t == "Edit" || t == "Delete");
        page.FindAll("input[type='checkbox']").ShouldBeEmpty();
    }

    [Fact]
    public async Task AViewersForgedChangesAreRefusedAndChangeNothing()
    {
        var id = await SegmentAsync("Fair leads", "ana@example.com");
        var ana = (await People.GetPersonAsync(WorkspaceId, PersonReference.ForEmail("ana@example.com"), Ct))!.CioId;
        await IdentifyAsync("bob@example.com");
        SignIn("viewer@example.test");
        var console = Services.GetRequiredService<SegmentsConsole>();

        var created = await console.CreateAsync("Another", null, Ct);
        var updated = await console.UpdateAsync(id, "Renamed", null, Ct);
        var added = await console.AddMembersAsync(id, "bob@example.com", Ct);
        var removed = await console.RemoveMembersAsync(id, [ana], Ct);
        var deleted = await console.DeleteAsync(id, Ct);

        RequestError?[] errors = [created.Error, updated, added.Error, removed, deleted];
        errors.ShouldAllBe(e => e!.Message == "Only Editors, Admins and the Owner can change segments.");
        (await People.ListSegmentsAsync(WorkspaceId, Ct)).Single().ShouldBe(new SegmentSummary(id, "Fair leads", null, (await People.GetSegmentAsync(WorkspaceId, id, Ct))!.Created, 1));
        (await MemberEmailsAsync(id)).ShouldBe(["ana@example.com"]);
    }

    [Fact]
    public async Task ADescriptionOverTheLimitIsRefusedAndNothingIsSaved()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var console = Services.GetRequiredService<SegmentsConsole>();

        var (id, error) = await console.CreateAsync("Fair leads", new string('x', SegmentsConsole.MaxDescriptionLength + 1), Ct);

        id.ShouldBeNull();
        (error!.Field, Sentence.Of(error.Message)).ShouldBe(("description", "The description is 1,001 characters; the limit is 1,000."));
        (await People.ListSegmentsAsync(WorkspaceId, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public void AnUnknownSegmentSaysSoAndLeadsBackToTheList()
    {
        SignIn("viewer@example.test");

        var page = Render<SegmentPage>(p => p.Add(s => s.SegmentId, 404));

        page.WaitForAssertion(() => page.Find("[data-testid='segment-not-found']").TextContent.ShouldContain("No segment 404 here"));
        page.Find("[data-testid='segment-not-found'] a").GetAttribute("href").ShouldBe("/segments");
    }

    [Fact]
    public async Task TheProfilesSegmentsTabLinksToEachSegment()
    {
        var id = await SegmentAsync("Fair leads", "ana@example.com");
        var ana = (await People.GetPersonAsync(WorkspaceId, PersonReference.ForEmail("ana@example.com"), Ct))!.CioId;
        SignIn("viewer@example.test");
        var profile = Render<PersonProfilePage>(p => p.Add(x => x.CioId, ana));
        profile.WaitForAssertion(() => profile.Find("[data-testid='person-cio-id']"));

        profile.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Segments (1)").Click();

        profile.WaitForAssertion(() => profile.Find("table[aria-label='Segments'] a, [aria-label='Segments'] a").GetAttribute("href").ShouldBe(SegmentPage.Href(id)));
    }
}
