using System.Text.Json;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.People;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.People;

/// <summary>Adding, changing and removing attributes on a profile: what may be saved, and what is kept.</summary>
public sealed class AttributeEditingTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAttributeAddedOnAProfileGetsASaveButtonAndIsSaved()
    {
        var cioId = await ArrangeEditorAndPersonAsync("""{"plan":"basic"}""");
        var (_, profile) = RenderProfile(cioId);

        TypeNewRow(profile, "city", "Paris");
        await SaveButton(profile, "Save new attribute").ClickAsync(new());

        profile.WaitForAssertion(() => profile.Find("[data-testid='attribute-city']").TextContent.ShouldContain("Paris"));
        (await AttributesAsync(cioId)).ShouldContain(("city", AttributeType.String, "Paris"));
        profile.FindAll("input[aria-label='Attribute 1 name']").ShouldBeEmpty();
    }

    [Fact]
    public async Task ANewAttributeNotYetSavedIsStillThereAfterSwitchingTabs()
    {
        var cioId = await ArrangeEditorAndPersonAsync("""{"plan":"basic"}""");
        var (_, profile) = RenderProfile(cioId);
        TypeNewRow(profile, "city", "Paris");

        Tab(profile, "Activity").Click();
        Tab(profile, "Attributes").Click();

        profile.Find("input[aria-label='Attribute 1 name']").GetAttribute("value").ShouldBe("city");
        profile.Find("input[aria-label='Attribute 1 value']").GetAttribute("value").ShouldBe("Paris");
    }

    [Fact]
    public async Task LeavingAProfileWithUnsavedAttributesAsksAndStaysUntilTheOperatorDiscards()
    {
        var cioId = await ArrangeEditorAndPersonAsync("""{"plan":"basic"}""");
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/people/{cioId}");
        var (dialogs, profile) = RenderProfile(cioId);
        profile.FindAll("button").Single(b => b.TextContent.Contains("Add attribute", StringComparison.Ordinal)).Click();
        profile.Find("input[aria-label='Attribute 1 name']").Input("city");

        var leaving = profile.InvokeAsync(() => navigation.NavigateTo("/people"));

        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Leave without saving?"));
        navigation.Uri.ShouldEndWith($"/people/{cioId}");
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Discard and leave").ClickAsync(new());
        await leaving;

        // The navigation goes on once the dialog's answer reaches the page's handler, which renders nothing here, so
        // bUnit's render-driven waits would check only once: wait for the address itself.
        SpinWait.SpinUntil(() => navigation.Uri.EndsWith("/people", StringComparison.Ordinal), TimeSpan.FromSeconds(15))
            .ShouldBeTrue($"the profile should have left for /people, but the address is {navigation.Uri}");
    }

    [Fact]
    public async Task ChangingAnAttributeSavesTheNewValueAndKeepsItsType()
    {
        var cioId = await ArrangeEditorAndPersonAsync("""{"age":41}""");
        var (_, profile) = RenderProfile(cioId);

        profile.Find("button[aria-label='Edit age']").Click();
        profile.Find("input[aria-label='age value']").Input("42");
        await SaveButton(profile, "Save").ClickAsync(new());

        profile.WaitForAssertion(() => profile.Find("[data-testid='attribute-age']").TextContent.ShouldContain("42"));
        (await AttributesAsync(cioId)).ShouldBe([("age", AttributeType.Number, "42")]);
    }

    [Theory]
    [InlineData("""{"age":41}""", "age", AttributeType.Number, "41", "not a number", "\"not a number\" is not a number")]
    [InlineData("""{"plan":"basic"}""", "plan", AttributeType.String, "basic", "", "To remove an attribute, use its Remove button.")]
    public async Task AValueThatCannotBeSavedSaysWhyAndTheAttributeKeepsItsTypeAndValue(
        string json, string name, AttributeType type, string stored, string typed, string message)
    {
        var cioId = await ArrangeEditorAndPersonAsync(json);
        var (_, profile) = RenderProfile(cioId);

        profile.Find($"button[aria-label='Edit {name}']").Click();
        profile.Find($"input[aria-label='{name} value']").Input(typed);

        profile.Markup.ShouldContain(message);
        SaveButton(profile, "Save").HasAttribute("disabled").ShouldBeTrue();
        (await AttributesAsync(cioId)).ShouldBe([(name, type, stored)]);
    }

    [Fact]
    public async Task RemovingAnAttributeAsksFirstAndCancellingKeepsIt()
    {
        var cioId = await ArrangeEditorAndPersonAsync("""{"plan":"basic"}""");
        var (dialogs, profile) = RenderProfile(cioId);

        // The click's handler waits for the dialog, so the click is awaited only once the dialog is answered.
        var cancelled = profile.Find("button[aria-label='Remove plan']").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Remove plan?"));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());
        await cancelled;
        (await AttributesAsync(cioId)).ShouldNotBeEmpty();
        var confirmed = profile.Find("button[aria-label='Remove plan']").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").ShouldContain(b => b.TextContent.Trim() == "Remove attribute"));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Remove attribute").ClickAsync(new());
        await confirmed;

        profile.WaitForAssertion(() => profile.Find("[data-testid='no-attributes']"));
        (await AttributesAsync(cioId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AJsonAttributeIsShownIndentedOnTheProfileAndCreatedAtIsShownBesideTheIdentifiers()
    {
        var cioId = await ArrangeEditorAndPersonAsync("""{"address":{"city":"Paris","zip":"75001"},"created_at":1700000000}""");

        var (_, profile) = RenderProfile(cioId);

        profile.Find("[data-testid='attribute-address-json']").TextContent.ShouldBe("{\n  \"city\": \"Paris\",\n  \"zip\": \"75001\"\n}");
        profile.Find("[data-testid='attribute-address']").TextContent.ShouldContain("JSON");
        profile.Find("[data-testid='person-created-at']").TextContent.ShouldBe("2023-11-14 22:13:20");
    }

    [Theory]
    [InlineData("[\"a\", \"b\"", "Not valid JSON")]
    [InlineData("\"just text\"", "A JSON array or object")]
    public void AJsonValueThatIsNotAnArrayOrObjectSaysWhy(string text, string message)
    {
        var row = new AttributeRow { Name = "tags", Type = AttributeType.Json, Value = text };

        var error = PersonInput.ValueError(row);

        error.ShouldNotBeNull();
        error.ShouldContain(message);
        Should.Throw<InvalidOperationException>(() => PersonInput.ToValue(row));
    }

    [Fact]
    public void AValidJsonValueBecomesItsCompactText()
    {
        var row = new AttributeRow { Name = "tags", Type = AttributeType.Json, Value = "[ \"a\",\n \"b\" ]" };

        PersonInput.ToValue(row).ShouldBe(AttributeValue.FromStored(AttributeType.Json, "[\"a\",\"b\"]", null));
    }

    [Fact]
    public void ANumberRowThatDoesNotParseIsNeverTurnedIntoText()
    {
        List<AttributeRow> rows = [new() { Name = "age", Type = AttributeType.Number, Value = "forty" }];

        var error = PersonInput.TryCollect(rows, [], out var values);

        error.ShouldBe("age: \"forty\" is not a number: write one like 42 or 3.5, or choose Text.");
        values.ShouldBeEmpty();
        Should.Throw<InvalidOperationException>(() => PersonInput.ToValue(rows[0]));
    }

    private async Task<string> ArrangeEditorAndPersonAsync(string json)
    {
        SignIn("editor@example.test", "CanEditPeople");
        using var document = JsonDocument.Parse(json);
        var body = document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name, p => AttributeValue.TryFromJson(p.Value, out var value) ? value : throw new InvalidOperationException(p.Name), StringComparer.Ordinal);
        var result = await Services.GetRequiredService<PeopleService>().ExecuteAsync(
            new OperationContext(WorkspaceId, Sources.Api), new IdentifyOperation(PersonReference.ForId("p-1"), body), Ct);
        return result.CioId!;
    }

    private (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<PersonProfilePage> Profile) RenderProfile(string cioId)
    {
        var dialogs = Render<MudDialogProvider>();
        var profile = Render<PersonProfilePage>(p => p.Add(x => x.CioId, cioId));
        profile.WaitForAssertion(() => profile.Find("[data-testid='person-cio-id']"));
        return (dialogs, profile);
    }

    private async Task<List<(string, AttributeType, string)>> AttributesAsync(string cioId)
    {
        var person = await Services.GetRequiredService<PeopleService>().GetPersonAsync(WorkspaceId, PersonReference.ForCioId(cioId), Ct);
        return [.. person!.Attributes.Select(a => (a.Name, a.Type, a.Value))];
    }

    private static IElement SaveButton(IRenderedComponent<PersonProfilePage> profile, string text) =>
        profile.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private static void TypeNewRow(IRenderedComponent<PersonProfilePage> profile, string name, string value)
    {
        profile.FindAll("button").Single(b => b.TextContent.Contains("Add attribute", StringComparison.Ordinal)).Click();
        profile.Find("input[aria-label='Attribute 1 name']").Input(name);
        profile.Find("input[aria-label='Attribute 1 value']").Input(value);
    }

    private static IElement Tab(IRenderedComponent<PersonProfilePage> profile, string text) =>
        profile.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == text);
}
