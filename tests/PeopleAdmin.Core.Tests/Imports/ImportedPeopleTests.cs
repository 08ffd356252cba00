using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>The people an import created or updated: recorded by the engine in each batch's transaction, listed by the import's page.</summary>
[BothStores]
public sealed class ImportedPeopleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Batches of three rows: ann is named again in her own batch (row 4) and in the next (row 7); row 6 fails.
    private const string Csv = "id,plan\nann,pro\nzed,free\nann,team\nbob,pro\n,none\nann,free\n";

    private static async Task<List<string>> ListAsync(ImportHarness harness, long importId, ImportPersonOutcome? outcome = null, int skip = 0, int take = 25)
    {
        await using var db = await harness.People.ContextAsync(Ct);
        var page = await ImportedPeople.PageAsync(db, harness.People.WorkspaceId, importId, outcome, skip, take, Ct);
        var cioIds = (await harness.People.PeopleAsync(Ct)).ToDictionary(p => p.CioId, p => p.ExternalId ?? "?");
        return [.. page.People.Select(p => $"{p.Row} {(p.Exists ? cioIds[p.CioId] : "gone")} {p.Outcome}{(p.MergedInto is { } into ? " into " + cioIds[into] : "")} of {page.Total}")];
    }

    [Fact]
    public async Task AnImportListsEachPersonItCreatedOrUpdatedOnceWithTheFirstRowThatNamedThem()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct, batchRows: 3);
        await harness.People.IdentifyAsync("zed", """{"plan":"old"}""", Ct);

        var import = await harness.ImportAsync(Csv, """{"identifier": "id"}""", Ct);

        ImportHarness.Counts(import).ShouldBe("imported: 2 created, 3 updated, 0 skipped, 1 failed, 0 warnings, 6 of 6");
        (await ListAsync(harness, import.Id)).ShouldBe(["2 ann Created of 3", "3 zed Updated of 3", "5 bob Created of 3"]);
        (await ListAsync(harness, import.Id, ImportPersonOutcome.Created)).ShouldBe(["2 ann Created of 2", "5 bob Created of 2"]);
        (await ListAsync(harness, import.Id, ImportPersonOutcome.Updated, skip: 0, take: 1)).ShouldBe(["3 zed Updated of 1"]);
        (await ListAsync(harness, import.Id, skip: 1, take: 1)).ShouldBe(["3 zed Updated of 3"]);
    }

    [Theory]
    [InlineData("""{"identifier": "id", "dry_run": true}""", ImportState.Validated)]
    [InlineData("""{"identifier": "id", "type": "event"}""", ImportState.Imported)]
    public async Task ADryRunAndAnEventImportRecordNobody(string optionsJson, ImportState ended)
    {
        await using var harness = await ImportHarness.CreateAsync(Ct, batchRows: 3);
        await harness.People.IdentifyAsync("ann", "{}", Ct);

        var import = await harness.ImportAsync("id,name\nann,signed_up\nbob,signed_up\n", optionsJson, Ct);

        import.State.ShouldBe(ended);
        await using var db = await harness.People.ContextAsync(Ct);
        (await db.ImportPeople.CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task AnImportWhoseRowsAreAppliedAgainAfterACrashRecordsEachPersonOnceAsTheFirstRunDid()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct, batchRows: 3);
        var created = await harness.CreateAsync(Csv, """{"identifier": "id"}""", Ct);
        await harness.Service.RunAsync(created.Import!.Id, Ct);
        var first = await ListAsync(harness, created.Import.Id);

        // As if the progress of every batch had been lost: the rows are applied again, and now update everyone.
        await using (var db = await harness.People.ContextAsync(Ct))
        {
            await db.Imports.ExecuteUpdateAsync(s => s.SetProperty(i => i.State, ImportState.Importing).SetProperty(i => i.RowsCommitted, 0), Ct);
        }

        await harness.Service.RunAsync(created.Import.Id, Ct);

        first.ShouldBe(["2 ann Created of 3", "3 zed Created of 3", "5 bob Created of 3"]);
        (await ListAsync(harness, created.Import.Id)).ShouldBe(first);
    }

    [Fact]
    public async Task APersonDeletedOrMergedAwaySinceIsStillListedByCioIdWithWhomTheyWereMergedInto()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct, batchRows: 3);
        await harness.People.IdentifyAsync("zed", "{}", Ct);
        var import = await harness.ImportAsync(Csv, """{"identifier": "id"}""", Ct);

        (await harness.People.RunAsync(new DeletePersonOperation(PersonReference.ForId("bob")), Ct)).Status.ShouldBe(OperationStatus.Applied);
        (await harness.People.RunAsync(new MergeOperation(PersonReference.ForId("zed"), PersonReference.ForId("ann")), Ct)).Status.ShouldBe(OperationStatus.Applied);

        (await ListAsync(harness, import.Id)).ShouldBe(["2 gone Created into zed of 3", "3 zed Updated of 3", "5 gone Created of 3"]);
    }

    [Fact]
    public async Task TheRecordIsDeletedWithItsImport()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct, batchRows: 3);
        var import = await harness.ImportAsync(Csv, """{"identifier": "id"}""", Ct);

        await using var db = await harness.People.ContextAsync(Ct);
        await db.Imports.Where(i => i.Id == import.Id).ExecuteDeleteAsync(Ct);

        (await db.ImportPeople.CountAsync(Ct)).ShouldBe(0);
    }
}
