using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.People;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.People;

public sealed class PeopleComponentTests : ConsoleTestContext
{
    [Fact]
    public void TheGridShowsEmailIdCioIdAndTimesAndLinksEachPerson()
    {
        var seen = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var grid = Render<PeopleGrid>(p => p.Add(g => g.Rows, [new PersonRow(1, "abc1", "u-1", "ann@example.test", seen, seen.AddHours(1))]));

        grid.FindAll("th").Select(h => h.TextContent.Trim()).ShouldBe(["Email", "ID", "cio_id", "First seen (UTC)", "Last updated (UTC)"]);
        var cells = grid.FindAll("tbody td").Select(c => c.TextContent.Trim()).ToList();
        cells.ShouldBe(["ann@example.test", "u-1", "cio_abc1", "2026-01-02 03:04:05", "2026-01-02 04:04:05"]);
        grid.Find("tbody a").GetAttribute("href").ShouldBe("/people/abc1");
    }

    [Theory]
    [InlineData("email", "is reserved")]
    [InlineData("", "Give the attribute a name.")]
    [InlineData("plan", "is already in the list")]
    public void TheAttributeEditorExplainsABadName(string name, string message)
    {
        List<AttributeRow> rows = [new() { Name = "plan", Value = "pro" }, new() { Name = name, Value = "x" }];

        var editor = Render<AttributeRowsEditor>(p => p.Add(e => e.Rows, rows));

        editor.Markup.ShouldContain(message);
        AttributeRowsEditor.AllValid(rows, []).ShouldBeFalse();
    }

    [Fact]
    public void TheAttributeEditorChecksNumbersAndConvertsTypedValues()
    {
        List<AttributeRow> rows = [new() { Name = "age", Type = AttributeType.Number, Value = "forty" }];

        var editor = Render<AttributeRowsEditor>(p => p.Add(e => e.Rows, rows));

        editor.Markup.ShouldContain("\"forty\" is not a number");
        rows[0].Value = "42";
        AttributeRowsEditor.AllValid(rows, []).ShouldBeTrue();
        PersonInput.ToValue(rows[0]).ShouldBe(AttributeValue.FromNumber(42));
        PersonInput.ToValue(new AttributeRow { Name = "vip", Type = AttributeType.Boolean, Value = "true" }).ShouldBe(AttributeValue.FromBoolean(true));
    }

    [Fact]
    public void TheAttributeEditorAddsAndRemovesRows()
    {
        List<AttributeRow> rows = [];
        var editor = Render<AttributeRowsEditor>(p => p.Add(e => e.Rows, rows));

        editor.FindAll("button").Single(b => b.TextContent.Contains("Add attribute", StringComparison.Ordinal)).Click();
        rows.Count.ShouldBe(1);
        editor.Find("button[aria-label='Remove attribute 1']").Click();
        rows.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("not-an-email", null, "That is not an email address")]
    [InlineData("undefined@x", null, "That is not an email address")]
    [InlineData(null, "cio_x", "may not start with cio_")]
    [InlineData(null, "undefined", "blocked identifier value")]
    public async Task TheAddDialogValidatesAsTheOperatorTypes(string? email, string? id, string message)
    {
        SignIn("editor@example.test", "CanEditPeople");
        var dialog = await OpenAddDialogAsync();

        if (email is not null)
        {
            dialog.Find("input[data-testid='add-email']").Input(email);
        }

        if (id is not null)
        {
            dialog.Find("input[data-testid='add-id']").Input(id);
        }

        dialog.Markup.ShouldContain(message);
        AddButton(dialog).HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public async Task TheAddDialogRefusesAnIdentifierSomeoneHoldsNamingThemAndCreatesNobody()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var holder = await IdentifyAsync("held@example.test");
        var dialog = await OpenAddDialogAsync();

        dialog.Find("input[data-testid='add-email']").Input("HELD@example.test");
        await AddButton(dialog).ClickAsync(new());

        dialog.WaitForAssertion(() => dialog.Find("[data-testid='add-refused']").TextContent.ShouldContain("Nobody was added."));
        dialog.Find($"[data-testid='add-refused'] a[href='/people/{holder}']").ShouldNotBeNull();
        (await Services.GetRequiredService<PeopleDirectory>().PageAsync(WorkspaceId, null, null, Xunit.TestContext.Current.CancellationToken)).Rows.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AddPersonWithTwoRowsOfTheSameNameCannotBeAddedAndTheDialogStays()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var dialog = await OpenAddDialogAsync();
        dialog.Find("input[data-testid='add-id']").Input("dup-1");
        AddRow(dialog, 1, "plan", "a");
        AddRow(dialog, 2, "plan", "b");

        dialog.Markup.ShouldContain("is already in the list");
        AddButton(dialog).HasAttribute("disabled").ShouldBeTrue();
        await dialog.InvokeAsync(() => AddButton(dialog).Click());

        dialog.Find("input[data-testid='add-id']").GetAttribute("value").ShouldBe("dup-1");
        (await Services.GetRequiredService<PeopleDirectory>().PageAsync(WorkspaceId, null, null, Xunit.TestContext.Current.CancellationToken)).Rows.ShouldBeEmpty();
    }

    [Fact]
    public async Task AddPersonEnablesAddOnlyOnceEveryRowIsValid()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var dialog = await OpenAddDialogAsync();
        dialog.Find("input[data-testid='add-id']").Input("new-1");
        dialog.FindAll("button").Single(b => b.TextContent.Contains("Add attribute", StringComparison.Ordinal)).Click();

        AddButton(dialog).HasAttribute("disabled").ShouldBeTrue();
        dialog.Find("input[aria-label='Attribute 1 name']").Input("plan");
        dialog.Find("input[aria-label='Attribute 1 value']").Input("pro");

        AddButton(dialog).HasAttribute("disabled").ShouldBeFalse();
    }

    [Fact]
    public async Task AViewersAddIsRefusedOnTheServerEvenWithoutTheButton()
    {
        SignIn("viewer@example.test");
        var console = Services.GetRequiredService<PeopleConsole>();

        var result = await console.AddAsync(null, "forged@example.test", new Dictionary<string, AttributeValue>(), Xunit.TestContext.Current.CancellationToken);

        result.Status.ShouldBe(OperationStatus.Rejected);
        result.Error!.Message.ShouldContain("Viewers cannot change people");
    }

    [Fact]
    public async Task SearchResultsPageWithNextAndPreviousLinksThatKeepTheSearch()
    {
        SignIn("viewer@example.test");
        for (var i = 0; i < PeopleDirectory.SearchLimit + 3; i++)
        {
            await IdentifyAsync($"team-{i:00}");
        }

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/people?q=team");

        var list = Render<PeopleListPage>();
        list.WaitForAssertion(() => list.FindAll("a").ShouldContain(a => a.TextContent.Contains("Next", StringComparison.Ordinal)));
        var next = list.FindAll("a").Single(a => a.TextContent.Contains("Next", StringComparison.Ordinal)).GetAttribute("href")!;
        navigation.NavigateTo(next);
        var following = Render<PeopleListPage>();

        navigation.Uri.ShouldContain("q=team");
        following.WaitForAssertion(() => following.Markup.ShouldContain("team-52"));
        following.Markup.ShouldNotContain("team-49");
        following.FindAll("a").ShouldContain(a => a.TextContent.Contains("Previous", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheProfileShowsIdentifiersAndItsTabsAndAnUnknownCioIdIsNotFound()
    {
        SignIn("viewer@example.test");
        var cioId = await IdentifyAsync("u-7", ("email", "seven@example.test"), ("plan", "basic"));

        var profile = Render<PersonProfilePage>(p => p.Add(x => x.CioId, $"cio_{cioId}"));

        profile.WaitForAssertion(() => profile.Find("[data-testid='person-cio-id']").TextContent.ShouldBe($"cio_{cioId}"));
        profile.Find("[data-testid='person-email']").TextContent.ShouldBe("seven@example.test");
        profile.Find("[data-testid='person-id']").TextContent.ShouldBe("u-7");
        profile.FindAll(".mud-tab").Select(t => t.TextContent.Trim()).ShouldBe(["Attributes", "Activity", "Segments (0)", "Relationships", "Merges", "Devices (0)"]);
        profile.Find("[data-testid='attribute-plan']").TextContent.ShouldContain("basic");
        profile.FindAll("button").ShouldNotContain(b => b.TextContent.Contains("Delete", StringComparison.Ordinal));

        var missing = Render<PersonProfilePage>(p => p.Add(x => x.CioId, "nobody"));
        missing.WaitForAssertion(() => missing.Find("[data-testid='person-not-found']").TextContent.ShouldContain("No person cio_nobody here"));
    }

    [Fact]
    public async Task InAnIdOnlyWorkspaceASetIdSaysWhyItCannotChange()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var people = Services.GetRequiredService<PeopleService>();
        await people.ExecuteAsync(new OperationContext(WorkspaceId, Sources.Ui, "owner"),
            new ChangeSettingsOperation(new SettingsPatch { Identifiers = PeopleAdmin.Core.Workspaces.IdentifierMode.IdOnly }), Xunit.TestContext.Current.CancellationToken);
        var cioId = await IdentifyAsync("fixed-id");

        var profile = Render<PersonProfilePage>(p => p.Add(x => x.CioId, cioId));

        profile.WaitForAssertion(() => profile.Markup.ShouldContain("never changes a set id"));
        profile.Find("input[data-testid='edit-id']").HasAttribute("disabled").ShouldBeTrue();
    }

    private static void AddRow(IRenderedComponent<MudDialogProvider> dialog, int number, string name, string value)
    {
        dialog.FindAll("button").Single(b => b.TextContent.Contains("Add attribute", StringComparison.Ordinal)).Click();
        dialog.Find($"input[aria-label='Attribute {number} name']").Input(name);
        dialog.Find($"input[aria-label='Attribute {number} value']").Input(value);
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAddDialogAsync()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<AddPersonDialog>("Add person"));
        provider.WaitForAssertion(() => provider.Find("input[data-testid='add-email']"));
        return provider;
    }

    private static AngleSharp.Dom.IElement AddButton(IRenderedComponent<MudDialogProvider> dialog) =>
        dialog.FindAll("button").Single(b => b.TextContent.Trim() == "Add person");
}
