using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Objects;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Objects;

/// <summary>The object types panel, the menu's Objects section and the Relationships tab, with the role checks behind them.</summary>
public sealed class ObjectsComponentTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private ObjectsConsole Console => Services.GetRequiredService<ObjectsConsole>();

    private PeopleService People => Services.GetRequiredService<PeopleService>();

    [Fact]
    public async Task AViewerSeesTheTypesWithoutCreateOrRenameAndAForgedCreateChangesNothing()
    {
        await RunAsync(new CreateObjectTypeOperation("Accounts"));
        SignIn("viewer@example.test");

        var panel = Render<ObjectTypesPanel>(p => p.Add(x => x.CanManage, false));
        var forged = await Console.CreateTypeAsync("Courses", Ct);

        panel.WaitForAssertion(() => panel.Markup.ShouldContain("Accounts"));
        panel.FindAll("button").Select(b => b.TextContent.Trim()).ShouldNotContain("New object type");
        panel.FindAll("button").Select(b => b.TextContent.Trim()).ShouldNotContain("Rename");
        forged.Error!.Message.ShouldBe("Only Admins and the Owner create and rename object types.");
        (await Console.TypesAsync(Ct)).Select(t => t.Name).ShouldBe(["Accounts"]);
    }

    [Fact]
    public async Task TheMenuListsTheObjectTypesAndATypeCreatedOnThisCircuitAtOnce()
    {
        SignIn("owner@example.test", "CanEditPeople", "CanManageSettings");
        var menu = Render<ObjectsNavGroup>();
        menu.WaitForAssertion(() => menu.Markup.ShouldContain("No object types yet"));

        await menu.InvokeAsync(() => Console.CreateTypeAsync("Accounts", Ct));

        menu.WaitForAssertion(() => menu.Find("a[href='/objects/1']").TextContent.ShouldContain("Accounts"));
    }

    [Fact]
    public async Task EditingARelationshipKeepsTheRowsLeftAndRemovesTheRowsTakenAway()
    {
        SignIn("editor@example.test", "CanEditPeople");
        await RunAsync(new CreateObjectTypeOperation("Accounts"));
        await RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), new Dictionary<string, AttributeValue>()));
        var person = await RunAsync(new IdentifyOperation(PersonReference.ForId("p1"), new Dictionary<string, AttributeValue>(),
            [new RelationshipInput("1", "acme", new Dictionary<string, AttributeValue> { ["role"] = AttributeValue.FromString("admin"), ["seat"] = AttributeValue.FromString("b") })]));
        var dialogs = Render<MudDialogProvider>();
        var tab = Render<PersonRelationships>(p => p.Add(x => x.CioId, person.CioId!).Add(x => x.CanEdit, true));
        tab.WaitForAssertion(() => tab.Markup.ShouldContain("role: admin"));

        tab.Find("button[aria-label='Edit relationship to acme']").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input[aria-label='Attribute 1 name']"));
        dialogs.Find("button[aria-label='Remove attribute 1']").Click();
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();

        tab.WaitForAssertion(() => tab.Markup.ShouldNotContain("role: admin"));
        var saved = (await Console.RelationshipsAsync(person.CioId!, Ct)).Single();
        saved.Attributes.Select(a => $"{a.Key}={a.Value.Text}").ShouldBe(["seat=b"]);
    }

    [Fact]
    public async Task RelatingSomeoneToAnObjectThatDoesNotExistSaysSoAndRelatesNothing()
    {
        SignIn("editor@example.test", "CanEditPeople");
        await RunAsync(new CreateObjectTypeOperation("Accounts"));
        var person = await RunAsync(new IdentifyOperation(PersonReference.ForId("p1"), new Dictionary<string, AttributeValue>()));
        var dialogs = Render<MudDialogProvider>();
        var tab = Render<PersonRelationships>(p => p.Add(x => x.CioId, person.CioId!).Add(x => x.CanEdit, true));
        tab.WaitForAssertion(() => tab.Find("[data-testid='relationships-empty']"));

        tab.FindAll("button").Single(b => b.TextContent.Trim() == "Add relationship").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-testid='relationship-object'], [data-testid='relationship-object'] input"));
        dialogs.Find("input[data-testid='relationship-object'], [data-testid='relationship-object'] input").Input("nope");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Relate").Click();

        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid='relationship-refusal']").TextContent
            .ShouldBe("There is no Accounts object nope: add it on its type's page first."));
        (await Console.RelationshipsAsync(person.CioId!, Ct)).ShouldBeEmpty();
    }

    private Task<OperationResult> RunAsync(PeopleOperation operation) =>
        People.ExecuteAsync(new OperationContext(WorkspaceId, Sources.Ui, "test"), operation, Ct);
}
