using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>Rows through the identity service with source csv: every outcome a row can have, counted and reported.</summary>
[BothStores]
public sealed class ImportEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachRowOutcomeIsCountedAndItsProblemReportedWithTheRowNumberColumnValueAndReason()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        await harness.People.IdentifyAsync("ann", """{"email":"ann@example.com","plan":"free"}""", Ct);
        await harness.People.SuppressDirectlyAsync(IdentifierKind.Id, "gone", Ct);
        var tooLong = new string('x', 1001);
        var csv = $"""
            id,email,plan,age
            bob,bob@example.com,pro,31
            ann,ann@example.com,team,44
            ann,ann.new@example.com,team,45
            gone,gone@example.com,pro,20
            cat,not-an-email,pro,20
            dan,dan@example.com,{tooLong},20
            ,eve@example.com,pro,20
            fay,fay@example.com,pro
            """;

        var import = await harness.ImportAsync(csv, """{"identifier": "id"}""", Ct);

        ImportHarness.Counts(import).ShouldBe("imported: 1 created, 2 updated, 1 skipped, 4 failed, 2 warnings, 8 of 8");
        (await harness.ProblemsAsync(import.Id, ImportProblemKind.Error, Ct)).ShouldBe(
        [
            "6 email not-an-email: is not an email address",
            $"7 plan {tooLong}: plan is 1001 bytes; the limit is 1000 bytes",
            "8 id : the row has no id, the import's identifier",
            "9  : the row has 3 cells and the header 4 columns; a value holding the delimiter must be quoted",
        ]);
        var warnings = await harness.ProblemsAsync(import.Id, ImportProblemKind.Warning, Ct);
        warnings.Count.ShouldBe(2);
        warnings[0].ShouldStartWith("4 email ann.new@example.com: ");
        warnings[0].ShouldEndWith("; the row's other values were applied");
        warnings[1].ShouldStartWith("5 id gone: skipped: ");
        var ann = await harness.People.Service.GetPersonAsync(harness.People.WorkspaceId, PersonReference.ForId("ann"), Ct);
        ann!.Email.ShouldBe("ann@example.com", "an import never changes an identifier that is set");
        ann.Attributes.Single(a => a.Name == "age").Value.ShouldBe("45", "the row's other attributes still apply");
        (await harness.People.PeopleAsync(Ct)).Select(p => p.ExternalId).ShouldBe(["ann", "bob"]);
    }

    [Fact]
    public async Task ImportedRowsLeaveActivityWithTheCsvSource()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);

        await harness.ImportAsync("id,plan\nann,pro\n", """{"identifier": "id"}""", Ct);

        (await harness.People.ActivityAsync(Ct)).ShouldAllBe(a => a.Source == Sources.Csv);
    }

    [Fact]
    public async Task OnlyNewSkipsRowsWhoseIdentifierSomeoneHoldsAndOnlyExistingRowsWhoseIdentifierNobodyHolds()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        await harness.People.IdentifyAsync("ann", """{"plan":"free"}""", Ct);
        const string csv = "id,plan\nann,pro\nbob,pro\nbob,team\n";

        var onlyNew = await harness.ImportAsync(csv, """{"identifier": "id", "data_to_process": "only_new"}""", Ct);
        var onlyExisting = await harness.ImportAsync("id,plan\nann,team\ncat,team\n", """{"identifier": "id", "data_to_process": "only_existing"}""", Ct);

        ImportHarness.Counts(onlyNew).ShouldBe("imported: 1 created, 0 updated, 2 skipped, 0 failed, 2 warnings, 3 of 3");
        (await harness.ProblemsAsync(onlyNew.Id, ImportProblemKind.Warning, Ct)).ShouldBe(
        [
            "2 id ann: someone holds this identifier, and the import takes only new people",
            "4 id bob: someone holds this identifier, and the import takes only new people",
        ]);
        ImportHarness.Counts(onlyExisting).ShouldBe("imported: 0 created, 1 updated, 1 skipped, 0 failed, 1 warnings, 2 of 2");
        (await harness.People.PeopleAsync(Ct)).Select(p => p.ExternalId).ShouldBe(["ann", "bob"]);
        var ann = await harness.People.Service.GetPersonAsync(harness.People.WorkspaceId, PersonReference.ForId("ann"), Ct);
        ann!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("team");
    }

    [Fact]
    public async Task AnEmptyCellLeavesTheAttributeOrRemovesItAsTheOptionSays()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        await harness.People.IdentifyAsync("ann", """{"plan":"free","city":"Oslo"}""", Ct);
        await harness.People.IdentifyAsync("bob", """{"plan":"free","city":"Rome"}""", Ct);

        await harness.ImportAsync("id,plan,city\nann,pro,\n", """{"identifier": "id"}""", Ct);
        await harness.ImportAsync("id,plan,city\nbob,pro,\n", """{"identifier": "id", "empty_values": "remove"}""", Ct);

        var ann = await harness.People.Service.GetPersonAsync(harness.People.WorkspaceId, PersonReference.ForId("ann"), Ct);
        var bob = await harness.People.Service.GetPersonAsync(harness.People.WorkspaceId, PersonReference.ForId("bob"), Ct);
        ann!.Attributes.Select(a => $"{a.Name}={a.Value}").Order().ShouldBe(["city=Oslo", "plan=pro"]);
        bob!.Attributes.Select(a => $"{a.Name}={a.Value}").ShouldBe(["plan=pro"]);
    }

    [Fact]
    public async Task TheMappingRenamesColumnsIgnoresOthersAndNumbersStayNumbersWhileCodesStayText()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        const string csv = "User ID,E-mail,Plan,notes,zip,age\nu1,U1@Example.com,pro,secret,00501,42\n";

        var import = await harness.ImportAsync(csv, """{"identifier": "id", "mapping": {"User ID": "id", "E-mail": "email", "Plan": "attribute:plan", "notes": "ignore"}}""", Ct);

        import.State.ShouldBe(ImportState.Imported);
        var person = await harness.People.Service.GetPersonAsync(harness.People.WorkspaceId, PersonReference.ForEmail("u1@example.com"), Ct);
        person!.Id.ShouldBe("u1");
        person.Attributes.Select(a => $"{a.Name}={a.Value}:{a.Type}").Order().ShouldBe(["age=42:Number", "plan=pro:String", "zip=00501:String"]);
    }

    [Fact]
    public async Task AnEmailKeyedImportFindsPeopleByEmailAndCreatesThoseNobodyHolds()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        await harness.People.IdentifyAsync("ann", """{"email":"ann@example.com"}""", Ct);

        var import = await harness.ImportAsync("email,plan\nANN@example.com,pro\nbob@example.com,free\n", """{"identifier": "email"}""", Ct);

        ImportHarness.Counts(import).ShouldBe("imported: 1 created, 1 updated, 0 skipped, 0 failed, 0 warnings, 2 of 2");
    }

    [Fact]
    public async Task InAnIdOnlyWorkspaceAnEmailKeyedRowUpdatesOnlyThePersonWhoAloneHasThatEmail()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct, configure: s => s.Identifiers = IdentifierMode.IdOnly);
        harness.People.Mode = IdentifierMode.IdOnly;
        await harness.People.IdentifyAsync("ann", """{"email":"ann@example.com"}""", Ct);
        await harness.People.IdentifyAsync("bob", """{"email":"twin@example.com"}""", Ct);
        await harness.People.IdentifyAsync("cat", """{"email":"twin@example.com"}""", Ct);

        var import = await harness.ImportAsync("email,plan\nann@example.com,pro\ntwin@example.com,pro\nnew@example.com,pro\n", """{"identifier": "email"}""", Ct);

        ImportHarness.Counts(import).ShouldBe("imported: 0 created, 1 updated, 2 skipped, 0 failed, 2 warnings, 3 of 3");
        (await harness.ProblemsAsync(import.Id, ImportProblemKind.Warning, Ct)).ShouldAllBe(w => w.Contains("not exactly one person has this email"));
        var ann = await harness.People.Service.GetPersonAsync(harness.People.WorkspaceId, PersonReference.ForId("ann"), Ct);
        ann!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("pro");
    }

    [Fact]
    public async Task EveryoneTheImportAppliesToJoinsTheSegmentMadeByNameWhenMissing()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);

        var import = await harness.ImportAsync("id,plan\nann,pro\nbob,pro\n,pro\ncat,pro\n", """{"identifier": "id", "segment": {"name": "Spring fair"}}""", Ct);

        import.State.ShouldBe(ImportState.Imported);
        await using var db = await harness.People.ContextAsync(Ct);
        var segment = await db.Segments.SingleAsync(s => s.Name == "Spring fair", Ct);
        var members = await db.SegmentMemberships.Where(m => m.SegmentId == segment.Id)
            .Join(db.People, m => m.PersonId, p => p.Id, (m, p) => p.ExternalId).OrderBy(id => id).ToListAsync(Ct);
        members.ShouldBe(["ann", "bob", "cat"]);
    }

    [Fact]
    public async Task ASegmentNamedByAnIdThatDoesNotExistFailsTheImportBeforeAnyRow()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);

        var import = await harness.ImportAsync("id,plan\nann,pro\n", """{"identifier": "id", "segment": {"id": 999}}""", Ct);

        import.State.ShouldBe(ImportState.Failed);
        import.Error.ShouldBe($"segment 999 does not exist in workspace {harness.People.WorkspaceId}");
        (await harness.People.PeopleAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ADryRunCountsWhatARunWouldDoWritesNoPersonAndThenStartsForReal()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        await harness.People.IdentifyAsync("ann", """{"plan":"free"}""", Ct);
        const string csv = "id,plan\nann,pro\nbob,pro\nbob,team\ncat,pro\n,pro\n";

        var dryRun = await harness.ImportAsync(csv, """{"identifier": "id", "dry_run": true, "segment": {"name": "Fair"}}""", Ct);

        ImportHarness.Counts(dryRun).ShouldBe("validated: 2 created, 2 updated, 0 skipped, 1 failed, 0 warnings, 5 of 5");
        (await harness.ProblemsAsync(dryRun.Id, ImportProblemKind.Error, Ct)).ShouldBe(["6 id : the row has no id, the import's identifier"]);
        (await harness.People.PeopleAsync(Ct)).Select(p => p.ExternalId).ShouldBe(["ann"]);
        await using (var db = await harness.People.ContextAsync(Ct))
        {
            (await db.Segments.CountAsync(Ct)).ShouldBe(0, "a dry run makes no segment");
        }

        (await harness.Service.StartAsync(harness.People.WorkspaceId, dryRun.Id, Ct)).ShouldBeNull();
        await harness.Service.RunAsync(dryRun.Id, Ct);
        var run = (await harness.Service.GetAsync(harness.People.WorkspaceId, dryRun.Id, Ct))!;

        ImportHarness.Counts(run).ShouldBe("imported: 2 created, 2 updated, 0 skipped, 1 failed, 0 warnings, 5 of 5");
        (await harness.ProblemsAsync(run.Id, ImportProblemKind.Error, Ct)).Count.ShouldBe(1, "the run's problems replace the dry run's");
        (await harness.People.PeopleAsync(Ct)).Select(p => p.ExternalId).ShouldBe(["ann", "bob", "cat"]);
        (await harness.Service.StartAsync(harness.People.WorkspaceId, dryRun.Id, Ct)).ShouldBe($"import {dryRun.Id} is imported; only an import a dry run left validated can be started");
    }

    [Fact]
    public async Task AnEventImportAddsEventsToExistingPeopleOnlyWithTheOtherColumnsAsData()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        await harness.People.IdentifyAsync("ann", """{"plan":"free"}""", Ct);
        const string csv = "id,name,timestamp,amount,sku\nann,purchase,1767225600,19.5,A-1\nzed,purchase,1767225600,5,B-2\nann,,1767225600,5,B-2\nann,refund,yesterday,5,B-2\n";

        var import = await harness.ImportAsync(csv, """{"type": "event", "identifier": "id"}""", Ct);

        ImportHarness.Counts(import).ShouldBe("imported: 0 created, 1 updated, 1 skipped, 2 failed, 1 warnings, 4 of 4");
        (await harness.ProblemsAsync(import.Id, ImportProblemKind.Warning, Ct)).ShouldBe(["3 id zed: nobody holds this identifier; an event import applies to existing people only"]);
        (await harness.ProblemsAsync(import.Id, ImportProblemKind.Error, Ct)).ShouldBe(
        [
            "4 name : the row has no event name",
            "5 timestamp yesterday: is not a time in unix seconds from 0 to 253402300799",
        ]);
        var events = (await harness.People.ActivityAsync(Ct)).Where(a => a.Type == ActivityTypes.Event).ToList();
        events.Count.ShouldBe(1);
        events[0].Name.ShouldBe("purchase");
        events[0].Timestamp.ShouldBe(1767225600);
        events[0].Data.ShouldBe("""{"amount":19.5,"sku":"A-1"}""");
        events[0].Source.ShouldBe(Sources.Csv);
        (await harness.People.PeopleAsync(Ct)).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("", "the file is empty: its first row must name the columns")]
    [InlineData("id,plan\r\n", "the file has a header and no rows")]
    [InlineData("id,plan,plan\nann,a,b\n", "the header names column \"plan\" twice (columns 2 and 3); column names must be unique")]
    [InlineData("email,plan\nann@example.com,pro\n", "the import's identifier is id, and no column is: name a column \"id\" or map one to \"id\"")]
    public async Task AFileThatCannotBeImportedIsRefusedAtOnceAndNothingIsKept(string csv, string message)
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);

        var created = await harness.CreateAsync(csv, """{"identifier": "id"}""", Ct);

        created.Import.ShouldBeNull();
        created.Problem!.Message.ShouldBe(message);
        (await harness.Service.ListAsync(harness.People.WorkspaceId, 10, Ct)).ShouldBeEmpty();
        var folder = Path.Combine(harness.People.Database.Directory, "imports");
        (Directory.Exists(folder) ? Directory.GetFiles(folder) : []).ShouldBeEmpty();
    }

    [Fact]
    public async Task AFileOverTheSizeLimitIsRefusedAndNothingIsKept()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        var csv = "id,plan\n" + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"person-{i},pro\n"));

        var created = await harness.CreateAsync(csv, """{"identifier": "id"}""", Ct);

        created.TooLarge.ShouldBeTrue();
        created.Problem!.Message.ShouldBe("the file is over the limit of 1,048,576 bytes (PeopleAdmin__Imports__MaxFileBytes)");
        Directory.GetFiles(Path.Combine(harness.People.Database.Directory, "imports")).ShouldBeEmpty();
    }

    [Fact]
    public async Task CancelStopsAnImportAfterItsCurrentBatchAndTheRowsCommittedStay()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct, batchRows: 2);
        var created = await harness.CreateAsync("id\na\nb\nc\nd\ne\nf\n", """{"identifier": "id"}""", Ct);
        var progress = new InlineProgress(_ => harness.Service.CancelAsync(harness.People.WorkspaceId, created.Import!.Id, Ct).GetAwaiter().GetResult());

        await harness.Service.RunAsync(created.Import!.Id, Ct, progress);

        var import = (await harness.Service.GetAsync(harness.People.WorkspaceId, created.Import.Id, Ct))!;
        ImportHarness.Counts(import).ShouldBe("canceled: 2 created, 0 updated, 0 skipped, 0 failed, 0 warnings, 2 of 6");
        (await harness.People.PeopleAsync(Ct)).Count.ShouldBe(2);
        (await harness.Service.CancelAsync(harness.People.WorkspaceId, created.Import.Id, Ct)).ShouldBeFalse("it has ended");
    }

    [Fact]
    public async Task TheReportsAreCsvWithRowColumnValueAndReasonAndFormulasDefused()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct);
        var import = await harness.ImportAsync("id,email\nann,=HYPERLINK(\"x\")\n", """{"identifier": "id"}""", Ct);
        using var writer = new StringWriter();

        await harness.Service.WriteProblemsAsync(import.Id, ImportProblemKind.Error, writer, Ct);

        writer.ToString().ShouldBe("row,column,value,reason\n2,email,\"'=HYPERLINK(\"\"x\"\")\",is not an email address\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal));
    }

    internal sealed class InlineProgress(Action<Import> report) : IProgress<Import>
    {
        public void Report(Import value) => report(value);
    }
}
