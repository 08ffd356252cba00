using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>
/// An import's batches of people run with SQLite's foreign-key checks off (<c>PeopleOperation.KeepsItsOwnReferences</c>):
/// everything they write must still name rows that exist, which SQLite's own check of the whole database confirms.
/// </summary>
public sealed class ImportReferenceChecksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APeopleImportOfEveryKindOfRowLeavesNoRowNamingOneThatDoesNotExist()
    {
        // Arrange: people to update, a suppressed identifier, and rows that create, update, remove, warn, skip and fail
        await using var harness = await ImportHarness.CreateAsync(Ct);
        await harness.People.IdentifyAsync("ann", """{"email":"ann@example.com","plan":"free","city":"Oslo"}""", Ct);
        await harness.People.IdentifyAsync("bob", """{"plan":"free","city":"Rome"}""", Ct);
        await harness.People.SuppressDirectlyAsync(IdentifierKind.Id, "gone", Ct);
        const string csv = """
            id,email,plan,city
            cat,cat@example.com,pro,Lyon
            ann,ann.new@example.com,team,
            bob,,pro,
            gone,gone@example.com,pro,Nice
            dan,not-an-email,pro,Nice
            eve,eve@example.com,pro,Nice
            cat,,enterprise,Paris
            """;

        // Act
        var import = await harness.ImportAsync(csv, """{"identifier": "id", "empty_values": "remove", "segment": {"name": "Spring fair"}}""", Ct);

        // Assert
        ImportHarness.Counts(import).ShouldBe("imported: 2 created, 3 updated, 1 skipped, 1 failed, 2 warnings, 7 of 7");
        await using var db = await harness.People.ContextAsync(Ct);
        (await db.Database.SqlQueryRaw<string>("SELECT \"table\" AS Value FROM pragma_foreign_key_check").ToListAsync(Ct)).ShouldBeEmpty();
        (await db.SegmentMemberships.CountAsync(Ct)).ShouldBe(4);
        (await db.ImportPeople.CountAsync(Ct)).ShouldBe(4);
        var bob = await harness.People.Service.GetPersonAsync(harness.People.WorkspaceId, PersonReference.ForId("bob"), Ct);
        bob!.Attributes.Select(a => $"{a.Name}={a.Value}").ShouldBe(["plan=pro"]);
    }
}
