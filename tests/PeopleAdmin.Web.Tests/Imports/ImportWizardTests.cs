using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Imports;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Imports;

/// <summary>The import wizard's screens (file, preview, options, mapping) and what its URL keeps.</summary>
public sealed class ImportWizardTests : ConsoleTestContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Accented names as a Windows-1252 spreadsheet export writes them, with semicolons.</summary>
    private static readonly byte[] Windows1252File = Latin(
        "email;First Name;city\r\njose@example.com;José Müller;Zürich\r\nfrancoise@example.com;Françoise Dupré;Besançon\r\nnandu@example.com;Ærøskøbing Ñandú;São Paulo\r\n");

    private ImportService Imports => Services.GetRequiredService<ImportService>();

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private static byte[] Latin(string text)
    {
        CsvDetection.RegisterCodePages();
        return Encoding.GetEncoding(1252).GetBytes(text);
    }

    private async Task<string> ReceiveAsync(byte[] content) =>
        ImportService.ReceivedName((await Imports.ReceiveAsync(new MemoryStream(content), Ct))!);

    private string[] Uploads() =>
        Directory.Exists(Path.GetDirectoryName(Imports.FileOf(0))) ? Directory.GetFiles(Path.GetDirectoryName(Imports.FileOf(0))!, "upload-*") : [];

    private IRenderedComponent<NewImportPage> RenderWizard(ImportDraft draft)
    {
        Navigation.NavigateTo(draft.Href());
        return Render<NewImportPage>();
    }

    private IRenderedComponent<FileStep> RenderFileStep(List<(string Upload, string FileName)> uploaded) =>
        Render<FileStep>(p => p.Add(c => c.Uploaded, EventCallback.Factory.Create<(string, string)>(this, u => uploaded.Add(u))));

    public static TheoryData<string, byte[], bool, string> Refusals => new()
    {
        { "an empty file", [], true, "The file is empty" },
        { "a file over the limit (100 bytes here)", Encoding.UTF8.GetBytes("email\r\n" + string.Concat(Enumerable.Repeat("someone@example.com\r\n", 10))), true, "over this server's limit of 100 bytes" },
        { "a spreadsheet, not a CSV export of it", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00], true, "it is not a text file" },
        { "any file, from a Viewer", Encoding.UTF8.GetBytes("email\r\na@example.com\r\n"), false, "Only Editors, Admins and the Owner can import." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void TheFileStepRefusesWhatCannotBeImportedSaysWhyAndKeepsNothing(string what, byte[] content, bool editor, string why)
    {
        ImportSettings.MaxFileBytes = 100;
        SignIn(editor ? "editor@example.test" : "viewer@example.test", editor ? ["CanEditPeople"] : []);
        var uploaded = new List<(string, string)>();
        var step = RenderFileStep(uploaded);

        step.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, "people.csv"));

        step.WaitForAssertion(() => step.Find("[data-testid='upload-error']").TextContent.ShouldContain(why, customMessage: what));
        uploaded.ShouldBeEmpty();
        Uploads().ShouldBeEmpty();
    }

    [Fact]
    public void AnUploadedFileIsStoredAndTheWizardMovesToItsPreview()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var page = RenderWizard(ImportDraft.Read(null, null, null, null, "7", null));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Windows1252File, "fair leads.csv"));

        page.WaitForAssertion(() => Navigation.Uri.ShouldContain("step=preview"));
        var upload = Uploads().ShouldHaveSingleItem();
        File.ReadAllBytes(upload).ShouldBe(Windows1252File);
        Navigation.Uri.ShouldContain("file=" + Path.GetFileNameWithoutExtension(upload)["upload-".Length..]);
        Navigation.Uri.ShouldContain("name=fair%20leads.csv");
        Navigation.Uri.ShouldContain("segment=7");
    }

    [Fact]
    public async Task ThePreviewReadsAWindows1252FileWithSemicolonsAndCountsItsRows()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var upload = await ReceiveAsync(Windows1252File);

        var page = RenderWizard(new ImportDraft(upload, "leads.csv", WizardStep.Preview, new ImportOptions { Identifier = IdentifierKind.Email }));

        page.WaitForAssertion(() => page.Find("[data-testid='row-count']").TextContent.ShouldContain("3 columns, 3 rows below the header"));
        page.FindAll("[data-testid='preview-table'] thead th").Select(c => c.TextContent.Trim()).ShouldBe(["Row", "email", "First Name", "city"]);
        page.FindAll("[data-testid='preview-table'] tbody tr").Select(r => r.QuerySelectorAll("td")[2].TextContent).ShouldBe(["José Müller", "Françoise Dupré", "Ærøskøbing Ñandú"]);
        page.Markup.ShouldContain("Detected as Windows-1252 (Western European) with semicolon (;) between cells");
    }

    [Fact]
    public async Task ThePreviewReadsTheFileWithTheEncodingAndDelimiterTheUrlNames()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var upload = await ReceiveAsync(Windows1252File);

        var page = RenderWizard(new ImportDraft(upload, "leads.csv", WizardStep.Preview, new ImportOptions { Identifier = IdentifierKind.Email, Encoding = "utf-8", Delimiter = ',' }));

        page.WaitForAssertion(() => page.Find("[data-testid='row-count']").TextContent.ShouldContain("1 column"));
        page.Find("[data-testid='preview-table'] thead").TextContent.ShouldContain("email;First Name;city");
        page.Find("[data-testid='preview-table'] tbody").TextContent.ShouldNotContain("José");
    }

    [Fact]
    public void AWizardWhoseFileIsGoneSaysSoAndOffersToStartOver()
    {
        SignIn("editor@example.test", "CanEditPeople");

        var page = RenderWizard(new ImportDraft(Guid.NewGuid().ToString("n"), "leads.csv", WizardStep.Mapping, new ImportOptions()));

        page.WaitForAssertion(() => page.Find("[data-testid='upload-gone']").TextContent.ShouldContain("Upload it again"));
        page.FindAll("a").ShouldContain(a => a.GetAttribute("href") == ImportDraft.Path);
    }

    [Fact]
    public void TheDraftKeepsEveryOptionAndANewSegmentsEmptyNameInItsUrl()
    {
        var options = new ImportOptions
        {
            Type = ImportType.People,
            Identifier = IdentifierKind.Id,
            DataToProcess = DataToProcess.OnlyNew,
            EmptyValues = EmptyValues.Remove,
            Encoding = "windows-1252",
            Delimiter = ';',
            Mapping = new Dictionary<string, ColumnMapping>(StringComparer.Ordinal) { ["First Name"] = new(ColumnRole.Attribute, "first_name"), ["x"] = new(ColumnRole.Ignore) },
            Segment = new ImportSegment(null, ""),
        };
        var href = new ImportDraft("abc", "a b.csv", WizardStep.Mapping, options).Href();
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + href).Query);

        var read = ImportDraft.Read(query["file"], query["name"], query["step"], query["options"], query["segment"], query.TryGetValue("segment_name", out var name) ? name.ToString() : null);

        read.Step.ShouldBe(WizardStep.Mapping);
        read.FileName.ShouldBe("a b.csv");
        read.Options.Segment.ShouldBe(new ImportSegment(null, ""));
        read.Options.Mapping["First Name"].ShouldBe(new ColumnMapping(ColumnRole.Attribute, "first_name"));
        (read.Options.Identifier, read.Options.DataToProcess, read.Options.EmptyValues, read.Options.Encoding, read.Options.Delimiter)
            .ShouldBe((IdentifierKind.Id, DataToProcess.OnlyNew, EmptyValues.Remove, "windows-1252", ';'));
    }

    [Fact]
    public void TheOptionsStepOffersPeopleAndEventImportsAndHidesPeopleOptionsForEvents()
    {
        var changed = new List<ImportOptions>();
        var step = Render<OptionsStep>(p => p
            .Add(c => c.Options, new ImportOptions { Type = ImportType.Event, Identifier = IdentifierKind.Email })
            .Add(c => c.Segments, [])
            .Add(c => c.ObjectTypes, [])
            .Add(c => c.OptionsChanged, EventCallback.Factory.Create<ImportOptions>(this, changed.Add)));

        step.FindAll("[data-testid='import-type'] input[type='radio']").Select(r => r.HasAttribute("disabled")).ShouldBe([false, false, true, true]);
        step.Find("[data-testid='no-object-types']").TextContent.ShouldContain("Objects and relationships need an object type first");
        step.Markup.ShouldContain("a column \"name\" names the event");
        step.Markup.ShouldNotContain("Which rows to import");
        step.Markup.ShouldNotContain("Empty cells");
    }

    /// <summary>What each select of a component shows as chosen.</summary>
    private static List<T> SelectedValues<T>(IRenderedComponent<IComponent> component)
    {
#pragma warning disable MUD0012 // A test reads the value a select shows; MudBlazor's state accessor is internal.
        return [.. component.FindComponents<MudSelect<T>>().Select(s => s.Instance.Value!)];
#pragma warning restore MUD0012
    }

    private static readonly IReadOnlyList<ObjectTypeSummary> AccountsAndCourses = [new(1, "Accounts", 0), new(2, "Courses", 0)];

    [Fact]
    public void ChoosingAnObjectImportNamesTheWorkspacesFirstObjectTypeAndDropsThePersonIdentifierAndTheSegment()
    {
        // Arrange
        var changed = new List<ImportOptions>();
        var options = new ImportOptions { Identifier = IdentifierKind.Email, Segment = new ImportSegment(3, null) };
        var step = Render<OptionsStep>(p => p
            .Add(c => c.Options, options)
            .Add(c => c.Segments, [])
            .Add(c => c.ObjectTypes, AccountsAndCourses)
            .Add(c => c.OptionsChanged, EventCallback.Factory.Create<ImportOptions>(this, o => { changed.Add(o); options = o; })));

        // Act
        step.FindAll("[data-testid='import-type'] input[type='radio']")[2].Click();
        step.Render(p => p.Add(c => c.Options, options));

        // Assert
        var chosen = changed.ShouldHaveSingleItem();
        (chosen.Type, chosen.ObjectTypeId, chosen.Segment, chosen.DataToProcess).ShouldBe((ImportType.Object, 1, null, DataToProcess.All));
        SelectedValues<int>(step).ShouldBe([1]);
        step.Markup.ShouldContain("a column \"object_id\" names it");
        step.Markup.ShouldContain("All: add new objects and update existing ones");
        step.FindAll("[data-testid='identifier']").ShouldBeEmpty();
        step.FindAll("[data-testid='segment-choice']").ShouldBeEmpty();
        step.FindAll("[data-testid='no-object-types']").ShouldBeEmpty();
    }

    [Fact]
    public async Task ARelationshipImportKeepsItsObjectTypeWhenTheTypeChangesAndAsksForThePersonsIdentifierAndASegment()
    {
        // Arrange
        var changed = new List<ImportOptions>();
        var options = new ImportOptions { Type = ImportType.Object, ObjectTypeId = 1, Identifier = IdentifierKind.Email };
        var step = Render<OptionsStep>(p => p
            .Add(c => c.Options, options)
            .Add(c => c.Segments, [])
            .Add(c => c.ObjectTypes, AccountsAndCourses)
            .Add(c => c.OptionsChanged, EventCallback.Factory.Create<ImportOptions>(this, o => { changed.Add(o); options = o; })));

        // Act
        await step.InvokeAsync(() => step.FindComponent<MudSelect<int>>().Instance.ValueChanged.InvokeAsync(2));
        step.Render(p => p.Add(c => c.Options, options));
        step.FindAll("[data-testid='import-type'] input[type='radio']")[3].Click();
        step.Render(p => p.Add(c => c.Options, options));

        // Assert
        changed.Select(o => (o.Type, o.ObjectTypeId)).ShouldBe([(ImportType.Object, 2), (ImportType.Relationship, 2)]);
        step.Markup.ShouldContain("Courses (object_type_id 2)");
        step.Markup.ShouldContain("relates an existing person to an existing object");
        step.Find("[data-testid='identifier']").ShouldNotBeNull();
        step.Find("[data-testid='segment-choice']").ShouldNotBeNull();
        step.Markup.ShouldContain("Only existing relationships (skip the others)");
    }

    [Fact]
    public void TheMappingOfARelationshipFileSuggestsThePersonsIdentifierTheObjectIdAndRelationshipAttributesNotPeoplesOnes()
    {
        // Arrange
        var preview = new ImportPreview("utf-8", ',', ["email", "object_id", "Role", "cio_id"], [new ImportRecord(2, ["ann@acme.test", "acme", "billing", ""])]);

        // Act
        var step = Render<MappingStep>(p => p
            .Add(c => c.Preview, preview)
            .Add(c => c.Draft, new ImportDraft("u", "f.csv", WizardStep.Mapping, new ImportOptions { Type = ImportType.Relationship, ObjectTypeId = 1, Identifier = IdentifierKind.Email }))
            .Add(c => c.Attributes, ["role"])
            .Add(c => c.ObjectTypes, AccountsAndCourses)
            .Add(c => c.OptionsChanged, EventCallback.Factory.Create<ImportOptions>(this, _ => { })));

        // Assert
        SelectedValues<MappingStep.Becomes>(step)
            .ShouldBe([MappingStep.Becomes.Email, MappingStep.Becomes.ObjectId, MappingStep.Becomes.Attribute, MappingStep.Becomes.Ignore]);
        step.Find("input[data-testid='attribute-Role']").GetAttribute("value").ShouldBe("Role");
        step.Markup.ShouldNotContain("existing");
        step.Markup.ShouldContain("the <code>object_id</code> of the Accounts object they are");
        step.Markup.ShouldContain("sets an attribute of the relationship");
    }

    [Fact]
    public async Task MakingAColumnOfAnObjectFileTheObjectIdMapsItToTheObjectIdAttributeAndHidesItsAttributeName()
    {
        // Arrange
        var preview = new ImportPreview("utf-8", ',', ["account", "id", "bill_date"], [new ImportRecord(2, ["acme", "A-1", "2026-12-20"])]);
        var changed = new List<ImportOptions>();
        var draft = new ImportDraft("u", "f.csv", WizardStep.Mapping, new ImportOptions { Type = ImportType.Object, ObjectTypeId = 1 });
        var step = Render<MappingStep>(p => p
            .Add(c => c.Preview, preview)
            .Add(c => c.Draft, draft)
            .Add(c => c.Attributes, [])
            .Add(c => c.ObjectTypes, AccountsAndCourses)
            .Add(c => c.OptionsChanged, EventCallback.Factory.Create<ImportOptions>(this, changed.Add)));

        // Act
        await step.InvokeAsync(() => step.FindComponents<MudSelect<MappingStep.Becomes>>()[0].Instance.ValueChanged.InvokeAsync(MappingStep.Becomes.ObjectId));
        step.Render(p => p.Add(c => c.Draft, draft with { Options = changed[0] }));

        // Assert
        var mapping = changed.ShouldHaveSingleItem().Mapping;
        mapping["account"].ShouldBe(new ColumnMapping(ColumnRole.Attribute, "object_id"));
        mapping["id"].ShouldBe(new ColumnMapping(ColumnRole.Ignore));
        mapping["bill_date"].ShouldBe(new ColumnMapping(ColumnRole.Attribute, "bill_date"));
        step.Markup.ShouldContain("names each Accounts object");
        step.FindAll("input[data-testid='attribute-account']").ShouldBeEmpty();
    }

    [Fact]
    public async Task TheDryRunOfARelationshipFileRecordsItsObjectTypeAndMappingAndTheUrlKeepsThem()
    {
        // Arrange
        SignIn("editor@example.test", "CanEditPeople");
        await Services.GetRequiredService<PeopleService>().ExecuteAsync(new OperationContext(WorkspaceId, Sources.Api), new CreateObjectTypeOperation("Accounts"), Ct);
        var upload = await ReceiveAsync(Encoding.UTF8.GetBytes("email,account,role\nann@acme.test,acme,billing\n"));
        var options = new ImportOptions
        {
            Type = ImportType.Relationship,
            ObjectTypeId = 1,
            Identifier = IdentifierKind.Email,
            Mapping = new Dictionary<string, ColumnMapping>(StringComparer.Ordinal) { ["account"] = ImportDraft.ObjectId },
        };
        var page = RenderWizard(new ImportDraft(upload, "people.csv", WizardStep.Mapping, options));
        page.WaitForAssertion(() => page.Find("[data-testid='mapping-table']"));

        // Act
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Check the rows (dry run)").Click());

        // Assert
        page.WaitForAssertion(() => Navigation.Uri.ShouldMatch(@".*/imports/\d+$"));
        await using var db = await Factory.CreateDbContextAsync(Ct);
        ImportOptionsJson.TryRead((await db.Imports.SingleAsync(Ct)).OptionsJson, "", out var stored).ShouldBeNull();
        (stored.Type, stored.ObjectTypeId, stored.Identifier, stored.DryRun).ShouldBe((ImportType.Relationship, 1, IdentifierKind.Email, true));
        stored.Mapping.ShouldBe(new Dictionary<string, ColumnMapping>(StringComparer.Ordinal)
        {
            ["email"] = new(ColumnRole.Email), ["account"] = ImportDraft.ObjectId, ["role"] = new(ColumnRole.Attribute, "role"),
        });
    }

    [Fact]
    public async Task AnObjectImportOfATypeTheWorkspaceLacksStopsTheOptionsStepAndItsDryRunIsRefusedBeforeAnyRow()
    {
        // Arrange
        SignIn("editor@example.test", "CanEditPeople");
        var upload = await ReceiveAsync(Encoding.UTF8.GetBytes("object_id,plan\nacme,pro\n"));
        var options = new ImportOptions { Type = ImportType.Object, ObjectTypeId = 4 };
        var atOptions = RenderWizard(new ImportDraft(upload, "accounts.csv", WizardStep.Options, options));
        atOptions.WaitForAssertion(() => atOptions.Find("[data-testid='import-type']"));

        // Act
        await atOptions.InvokeAsync(() => atOptions.FindAll("button").Single(b => b.TextContent.Trim() == "Next").Click());
        var optionsError = atOptions.Find("[data-testid='wizard-error']").TextContent;
        var atMapping = RenderWizard(new ImportDraft(upload, "accounts.csv", WizardStep.Mapping, options));
        atMapping.WaitForAssertion(() => atMapping.Find("[data-testid='mapping-table']"));
        await atMapping.InvokeAsync(() => atMapping.FindAll("button").Single(b => b.TextContent.Trim() == "Check the rows (dry run)").Click());

        // Assert
        optionsError.ShouldBe("Choose the object type of the file: type 4 is not one of this workspace's.");
        atMapping.WaitForAssertion(() => atMapping.Find("[data-testid='wizard-error']").TextContent
            .ShouldStartWith("Options.object_type_id: object type \"4\" does not exist in this workspace (it has none yet); create it first"));
        await using var db = await Factory.CreateDbContextAsync(Ct);
        (await db.Imports.CountAsync(Ct)).ShouldBe(0);
        Uploads().ShouldHaveSingleItem();
    }

    [Fact]
    public void ChoosingANewSegmentAndNamingItChangesTheOptions()
    {
        var changed = new List<ImportOptions>();
        var options = new ImportOptions { Identifier = IdentifierKind.Email };
        var step = Render<OptionsStep>(p => p
            .Add(c => c.Options, options)
            .Add(c => c.Segments, [])
            .Add(c => c.ObjectTypes, [])
            .Add(c => c.OptionsChanged, EventCallback.Factory.Create<ImportOptions>(this, o => { changed.Add(o); options = o; })));

        step.FindAll("[data-testid='segment-choice'] input[type='radio']")[2].Click();
        step.Render(p => p.Add(c => c.Options, options));
        step.Find("input[data-testid='segment-name']").Change(" Fair leads ");

        changed.Select(o => o.Segment).ShouldBe([new ImportSegment(null, ""), new ImportSegment(null, "Fair leads")]);
    }

    [Fact]
    public void TheMappingSuggestsAnExistingAttributeByNameAndShowsSampleValues()
    {
        var preview = new ImportPreview("utf-8", ';', ["email", "First Name", "cio_id", "Plan"],
            [new ImportRecord(2, ["jose@example.com", "José", "cio_1", "pro"]), new ImportRecord(3, ["zoe@example.com", "Zoë", "", "free"])]);

        var step = Render<MappingStep>(p => p
            .Add(c => c.Preview, preview)
            .Add(c => c.Draft, new ImportDraft("u", "f.csv", WizardStep.Mapping, new ImportOptions { Identifier = IdentifierKind.Email }))
            .Add(c => c.Attributes, ["first_name", "city"])
            .Add(c => c.OptionsChanged, EventCallback.Factory.Create<ImportOptions>(this, _ => { })));

        var rows = step.FindAll("[data-testid='mapping-table'] tbody tr");
        rows[0].TextContent.ShouldContain("jose@example.com, zoe@example.com");
        step.Find("input[data-testid='attribute-First Name']").GetAttribute("value").ShouldBe("first_name");
        rows[1].TextContent.ShouldContain("existing");
        step.FindAll("input[data-testid='attribute-cio_id']").ShouldBeEmpty();
        step.Find("input[data-testid='attribute-Plan']").GetAttribute("value").ShouldBe("Plan");
        rows[3].TextContent.ShouldContain("new");
    }

    [Fact]
    public void RenamingAnAttributeWritesTheWholeMappingAndAReservedNameIsRefused()
    {
        var preview = new ImportPreview("utf-8", ',', ["email", "Plan"], [new ImportRecord(2, ["a@example.com", "pro"])]);
        var changed = new List<ImportOptions>();
        var step = Render<MappingStep>(p => p
            .Add(c => c.Preview, preview)
            .Add(c => c.Draft, new ImportDraft("u", "f.csv", WizardStep.Mapping, new ImportOptions { Identifier = IdentifierKind.Email }))
            .Add(c => c.Attributes, [])
            .Add(c => c.OptionsChanged, EventCallback.Factory.Create<ImportOptions>(this, changed.Add)));

        step.Find("input[data-testid='attribute-Plan']").Change("cio_id");
        step.Find("[data-testid='mapping-problem']").TextContent.ShouldContain("not a reserved one");
        step.Find("input[data-testid='attribute-Plan']").Change("plan");

        var mapping = changed.ShouldHaveSingleItem().Mapping;
        mapping["email"].ShouldBe(new ColumnMapping(ColumnRole.Email));
        mapping["Plan"].ShouldBe(new ColumnMapping(ColumnRole.Attribute, "plan"));
    }

    [Fact]
    public async Task TheMappingsDryRunRecordsAnImportThatWritesNothingAndOpensItsPage()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var upload = await ReceiveAsync(Windows1252File);
        var page = RenderWizard(new ImportDraft(upload, "leads.csv", WizardStep.Mapping, new ImportOptions { Identifier = IdentifierKind.Email, Segment = new ImportSegment(null, "Fair") }));
        page.WaitForAssertion(() => page.Find("[data-testid='mapping-table']"));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Check the rows (dry run)").Click());

        page.WaitForAssertion(() => Navigation.Uri.ShouldMatch(@".*/imports/\d+$"));
        await using var db = await Factory.CreateDbContextAsync(Ct);
        var import = await db.Imports.SingleAsync(Ct);
        Navigation.Uri.ShouldEndWith(ImportPage.Href(import.Id));
        (import.FileName, import.State, import.RequestedBy).ShouldBe(("leads.csv", ImportState.Preprocessing, "editor@example.test"));
        ImportOptionsJson.TryRead(import.OptionsJson, "", out var stored).ShouldBeNull();
        stored.DryRun.ShouldBeTrue();
        (stored.Encoding, stored.Delimiter, stored.Segment).ShouldBe(("windows-1252", ';', new ImportSegment(null, "Fair")));
        stored.Mapping["First Name"].ShouldBe(new ColumnMapping(ColumnRole.Attribute, "First Name"));
        Uploads().ShouldBeEmpty();
    }

    [Fact]
    public async Task AMappingWithoutTheIdentifierSaysWhatIsMissingAndKeepsTheFile()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var upload = await ReceiveAsync(Windows1252File);
        var page = RenderWizard(new ImportDraft(upload, "leads.csv", WizardStep.Mapping, new ImportOptions { Identifier = IdentifierKind.Id }));
        page.WaitForAssertion(() => page.Find("[data-testid='mapping-table']"));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Check the rows (dry run)").Click());

        page.WaitForAssertion(() => page.Find("[data-testid='wizard-error']").TextContent.ShouldContain("the import's identifier is id, and no column is"));
        await using var db = await Factory.CreateDbContextAsync(Ct);
        (await db.Imports.CountAsync(Ct)).ShouldBe(0);
        Uploads().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task ANewSegmentWithoutANameStopsTheOptionsStep()
    {
        SignIn("editor@example.test", "CanEditPeople");
        var upload = await ReceiveAsync(Windows1252File);
        var page = RenderWizard(new ImportDraft(upload, "leads.csv", WizardStep.Options, new ImportOptions { Identifier = IdentifierKind.Email, Segment = new ImportSegment(null, "") }));
        page.WaitForAssertion(() => page.Find("[data-testid='segment-name']"));
        var before = Navigation.Uri;

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Next").Click());

        page.Find("[data-testid='wizard-error']").TextContent.ShouldBe("Name the new segment, or choose no segment.");
        Navigation.Uri.ShouldBe(before);
    }
}
