using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>
/// Object and relationship imports through the same engine as people and events: counts, problems with row, column,
/// value and reason, the dry run, and what only_new and only_existing skip. Batches are three rows long, so every file
/// here spans several.
/// </summary>
[BothStores]
public sealed class ObjectImportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnObjectImportCreatesAndUpdatesObjectsOfItsTypeWithNumbersAsNumbersAndFailsRowsWithoutAnObjectId()
    {
        // Arrange
        await using var harness = await HarnessWithAccountsAsync();
        var tooLong = new string('x', 1001);
        var csv = $"""
            object_id,name,bill_date,seats,id
            acme,Acme,2026-02-01,12,A-1
            globex,Globex,2026-03-01,3,G-1
            acme,Acme Inc,,15,A-1
            ,Nameless,2026-04-01,1,N-1
            initech,{tooLong},2026-05-01,4,I-1
            """;

        // Act
        var import = await harness.ImportAsync(csv, """{"type": "object", "object_type_id": "1"}""", Ct);

        // Assert
        ImportHarness.Counts(import).ShouldBe("imported: 2 created, 1 updated, 0 skipped, 2 failed, 0 warnings, 5 of 5");
        (await harness.ProblemsAsync(import.Id, ImportProblemKind.Error, Ct)).ShouldBe(
        [
            "5 object_id : the row has no object_id",
            $"6 name {tooLong}: name is 1001 bytes; the limit is 1000 bytes",
        ]);
        var acme = (await Directory(harness).GetObjectAsync(harness.People.WorkspaceId, 1, "acme", Ct))!;
        acme.Attributes.Select(a => $"{a.Key}={a.Value.Text}:{a.Value.Type}").ShouldBe(
            ["bill_date=2026-02-01:String", "id=A-1:String", "name=Acme Inc:String", "seats=15:Number"]);
        (await Directory(harness).GetObjectAsync(harness.People.WorkspaceId, 1, "globex", Ct)).ShouldNotBeNull();
        (await harness.People.ActivityAsync(Ct)).ShouldAllBe(a => a.Source == Sources.Csv);
    }

    [Fact]
    public async Task ARelationshipImportRelatesExistingPeopleToExistingObjectsWithItsAttributesAndSkipsWhoOrWhatDoesNotExist()
    {
        // Arrange
        await using var harness = await HarnessWithAccountsAsync();
        await harness.People.IdentifyAsync("ann", """{"email":"ann@example.com"}""", Ct);
        await harness.People.IdentifyAsync("bob", "{}", Ct);
        await harness.People.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), PeopleHarness.Body("{}")), Ct);
        const string csv = """
            id,object_id,role,email
            ann,acme,billing,ann@example.com
            bob,acme,member,
            zed,acme,billing,
            ann,nope,billing,
            ann,acme,owner,
            bob,,member,
            """;

        // Act
        var import = await harness.ImportAsync(csv, """{"type": "relationship", "object_type_id": 1, "identifier": "id", "segment": {"name": "Acme people"}}""", Ct);

        // Assert
        ImportHarness.Counts(import).ShouldBe("imported: 2 created, 1 updated, 2 skipped, 1 failed, 2 warnings, 6 of 6");
        var warnings = await harness.ProblemsAsync(import.Id, ImportProblemKind.Warning, Ct);
        warnings[0].ShouldStartWith("4 id zed: skipped: ");
        warnings[1].ShouldBe("5 id 1/nope: no object of the type has this object_id; a relationship import relates existing people and objects only");
        (await harness.ProblemsAsync(import.Id, ImportProblemKind.Error, Ct)).ShouldBe(["7 object_id : the row has no object_id"]);
        var related = await Directory(harness).RelatedPeopleAsync(harness.People.WorkspaceId, 1, "acme", 0, 10, Ct);
        related!.Select(r => $"{r.Id}: {string.Join(",", r.Attributes.Select(a => $"{a.Key}={a.Value.Text}"))}").ShouldBe(["ann: role=owner", "bob: role=member"]);
        await using var db = await harness.People.ContextAsync(Ct);
        (await db.Segments.Where(s => s.Name == "Acme people").SelectMany(s => db.SegmentMemberships.Where(m => m.SegmentId == s.Id)).CountAsync(Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task ADryRunOfRelationshipsWithAMappedObjectIdColumnCountsWhatARunWouldDoRelatesNobodyAndThenStartsForReal()
    {
        // Arrange
        await using var harness = await HarnessWithAccountsAsync();
        await harness.People.IdentifyAsync("ann", "{}", Ct);
        await harness.People.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), PeopleHarness.Body("{}")), Ct);
        const string csv = "email,account,role\nann@example.com,acme,billing\n";
        await harness.People.IdentifyAsync("ann", """{"email":"ann@example.com"}""", Ct);

        // Act
        var dryRun = await harness.ImportAsync(csv, """{"type": "relationship", "object_type_id": "1", "identifier": "email", "dry_run": true, "mapping": {"account": "attribute:object_id"}}""", Ct);
        var before = await Directory(harness).RelatedPeopleAsync(harness.People.WorkspaceId, 1, "acme", 0, 10, Ct);
        (await harness.Service.StartAsync(harness.People.WorkspaceId, dryRun.Id, Ct)).ShouldBeNull();
        await harness.Service.RunAsync(dryRun.Id, Ct);
        var run = (await harness.Service.GetAsync(harness.People.WorkspaceId, dryRun.Id, Ct))!;

        // Assert
        ImportHarness.Counts(dryRun).ShouldBe("validated: 1 created, 0 updated, 0 skipped, 0 failed, 0 warnings, 1 of 1");
        before.ShouldBeEmpty();
        ImportHarness.Counts(run).ShouldBe("imported: 1 created, 0 updated, 0 skipped, 0 failed, 0 warnings, 1 of 1");
        (await Directory(harness).RelatedPeopleAsync(harness.People.WorkspaceId, 1, "acme", 0, 10, Ct))!.Single().Id.ShouldBe("ann");
    }

    [Fact]
    public async Task OnlyNewSkipsObjectsThatExistAndOnlyExistingSkipsObjectsThatDoNot()
    {
        // Arrange
        await using var harness = await HarnessWithAccountsAsync();
        await harness.People.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), PeopleHarness.Body("""{"plan":"free"}""")), Ct);
        const string csv = "object_id,plan\nacme,pro\nglobex,pro\n";

        // Act
        var onlyNew = await harness.ImportAsync(csv, """{"type": "object", "object_type_id": "1", "data_to_process": "only_new"}""", Ct);
        var onlyExisting = await harness.ImportAsync("object_id,plan\nacme,team\ninitech,pro\n", """{"type": "object", "object_type_id": "1", "data_to_process": "only_existing"}""", Ct);

        // Assert
        ImportHarness.Counts(onlyNew).ShouldBe("imported: 1 created, 0 updated, 1 skipped, 0 failed, 1 warnings, 2 of 2");
        (await harness.ProblemsAsync(onlyNew.Id, ImportProblemKind.Warning, Ct)).ShouldBe(["2 object_id acme: the object exists, and the import takes only new ones"]);
        ImportHarness.Counts(onlyExisting).ShouldBe("imported: 0 created, 1 updated, 1 skipped, 0 failed, 1 warnings, 2 of 2");
        (await harness.ProblemsAsync(onlyExisting.Id, ImportProblemKind.Warning, Ct)).ShouldBe(["3 object_id initech: the object does not exist, and the import takes only existing ones"]);
        (await Directory(harness).GetObjectAsync(harness.People.WorkspaceId, 1, "acme", Ct))!.Attributes.Single().Value.Text.ShouldBe("team");
        (await Directory(harness).GetObjectAsync(harness.People.WorkspaceId, 1, "initech", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task AFileOfAnObjectTypeTheWorkspaceLacksIsRefusedBeforeAnyRowNamingTheTypesItHasAndNothingIsKept()
    {
        // Arrange
        await using var harness = await HarnessWithAccountsAsync();

        // Act
        var objects = await harness.CreateAsync("object_id,plan\nacme,pro\n", """{"type": "object", "object_type_id": "7"}""", Ct);
        var relationships = await harness.CreateAsync("id,object_id\nann,acme\n", """{"type": "relationship", "object_type_id": "7", "identifier": "id"}""", Ct);

        // Assert
        const string why = "object type \"7\" does not exist in this workspace (its types are \"1\" (Accounts)); create it first (Settings > Object types, or POST /api/admin/v1/workspaces/{id}/object-types)";
        objects.ShouldBe(new ImportCreation(null, new ImportOptionsProblem("options.object_type_id", why)));
        relationships.ShouldBe(new ImportCreation(null, new ImportOptionsProblem("options.object_type_id", why)));
        await using var db = await harness.People.ContextAsync(Ct);
        (await db.Imports.CountAsync(Ct)).ShouldBe(0);
        System.IO.Directory.Exists(Path.GetDirectoryName(harness.Service.FileOf(0))).ShouldBeTrue();
        System.IO.Directory.GetFiles(Path.GetDirectoryName(harness.Service.FileOf(0))!).ShouldBeEmpty();
    }

    [Fact]
    public async Task ARunOfRowsForAnObjectTypeTheWorkspaceLacksFailsBeforeAnyRowWithTheReason()
    {
        // Arrange
        await using var harness = await ImportHarness.CreateAsync(Ct);
        var options = new ImportOptions { Type = ImportType.Object, ObjectTypeId = 2 };
        using var source = new InMemorySource(["object_id", "plan"], [["acme", "pro"], ["globex", "free"]]);

        // Act
        var import = await harness.Service.RunNowAsync(harness.People.WorkspaceId, new ImportRequest("accounts", options, "tester@example.com"), source, Ct);

        // Assert
        ImportHarness.Counts(import).ShouldBe(
            "failed: 0 created, 0 updated, 0 skipped, 0 failed, 0 warnings, 0 of  (options.object_type_id: object type \"2\" does not exist in this workspace (it has none yet); "
            + "create it first (Settings > Object types, or POST /api/admin/v1/workspaces/{id}/object-types))");
        (await harness.ProblemsAsync(import.Id, ImportProblemKind.Error, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AFileWithoutAnObjectIdColumnIsRefused()
    {
        // Arrange
        await using var harness = await HarnessWithAccountsAsync();

        // Act
        var noColumn = await harness.CreateAsync("id,plan\nacme,pro\n", """{"type": "object", "object_type_id": "1"}""", Ct);

        // Assert
        noColumn.Import.ShouldBeNull();
        noColumn.Problem!.Message.ShouldBe("an object import needs a column \"object_id\" with each object's id (or a column mapped to \"attribute:object_id\")");
    }

    [Fact]
    public async Task TwoColumnsThatAreBothTheObjectIdAreRefusedNamingBoth()
    {
        // Arrange
        await using var harness = await HarnessWithAccountsAsync();

        // Act
        var created = await harness.CreateAsync(
            "id,object_id,account\nann,acme,globex\n", """{"type": "relationship", "object_type_id": "1", "identifier": "id", "mapping": {"account": "attribute:object_id"}}""", Ct);

        // Assert
        created.ShouldBe(new ImportCreation(null, new ImportOptionsProblem(
            "options.mapping", "columns \"object_id\" and \"account\" are both the object_id; map one of them to another attribute or ignore it")));
    }

    [Theory]
    [InlineData("""{"type": "object"}""", "options.object_type_id", "is required for an object import: the object type's id, such as \"1\"")]
    [InlineData("""{"type": "relationship", "object_type_id": "1"}""", "options.identifier", "is required: \"id\" or \"email\"")]
    [InlineData("""{"type": "people", "identifier": "id", "object_type_id": "1"}""", "options.object_type_id", "applies to object and relationship imports only")]
    [InlineData("""{"type": "object", "object_type_id": "one"}""", "options.object_type_id", "must be an object type's id, a whole number from 1 such as \"1\"; it is \"one\"")]
    [InlineData("""{"type": "object", "object_type_id": "1", "segment": {"name": "x"}}""", "options.segment", "an object import adds nobody to a segment; leave it out")]
    public void ObjectAndRelationshipOptionsThatCannotWorkAreRefusedNamingTheField(string json, string field, string message)
    {
        // Act
        var problem = ImportOptionsJson.TryRead(json, "options.", out _);

        // Assert
        problem.ShouldBe(new ImportOptionsProblem(field, message));
    }

    private static async Task<ImportHarness> HarnessWithAccountsAsync()
    {
        var harness = await ImportHarness.CreateAsync(Ct);
        (await harness.People.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct)).RecordId.ShouldBe(1);
        return harness;
    }

    private static ObjectDirectory Directory(ImportHarness harness) => new(harness.People.Database.Factory);
}
