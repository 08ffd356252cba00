using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Imports;

/// <summary>What an import leaves equals the same rows sent one by one, and a killed import resumes to the same end.</summary>
[BothStores]
public sealed class ImportDurabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Csv = """
        id,email,plan,age,city
        ann,ann@example.com,pro,31,Oslo
        bob,bob@example.com,free,22,
        ann,ann.other@example.com,team,32,Bergen
        cat,,pro,40,Rome
        dan,dan@example.com,free,abc,Paris
        bob,,team,23,Lyon
        eve,ann@example.com,pro,50,Nice
        fay,fay@example.com,,61,Oslo
        gus,gus@example.com,pro,17,Oslo
        hal,hal@example.com,free,28,Rome
        """;

    [Fact]
    public async Task RowsAppliedByTheEngineEqualTheSameRowsSentOneByOneAsIdentifies()
    {
        await using var engine = await ImportHarness.CreateAsync(Ct, batchRows: 4);
        await using var oneByOne = await PeopleHarness.CreateAsync(Ct);
        foreach (var harness in new[] { engine.People, oneByOne })
        {
            await harness.IdentifyAsync("zed", """{"email":"zed@example.com","plan":"old"}""", Ct);
        }

        var import = await engine.ImportAsync(Csv.Replace("hal,", "zed,", StringComparison.Ordinal), """{"identifier": "id", "empty_values": "remove"}""", Ct);
        foreach (var line in Csv.Replace("hal,", "zed,", StringComparison.Ordinal).Split('\n').Skip(1))
        {
            var cells = line.Split(',');
            var body = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
            if (cells[1].Length > 0)
            {
                body["email"] = AttributeValue.FromString(cells[1]);
            }

            body["plan"] = AttributeValue.FromString(cells[2]);
            body["age"] = ImportColumns.Value(cells[3]);
            body["city"] = AttributeValue.FromString(cells[4]);
            await oneByOne.Service.ExecuteAsync(oneByOne.Context(Sources.Csv), new IdentifyOperation(PersonReference.ForId(cells[0]), body), Ct);
        }

        import.State.ShouldBe(ImportState.Imported);
        (await SnapshotAsync(engine.People)).ShouldBe(await SnapshotAsync(oneByOne));
    }

    [Fact]
    public async Task AnImportKilledMidwayResumesFromItsLastCommittedBatchToTheResultOfAnUninterruptedOne()
    {
        await using var uninterrupted = await ImportHarness.CreateAsync(Ct, batchRows: 3);
        await using var killed = await ImportHarness.CreateAsync(Ct, batchRows: 3);
        const string options = """{"identifier": "id", "segment": {"name": "Imported"}}""";
        await uninterrupted.ImportAsync(Csv, options, Ct);
        var created = await killed.CreateAsync(Csv, options, Ct);
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var batches = 0;

        // The process dies after its second batch commits: the third is never submitted.
        await Should.ThrowAsync<OperationCanceledException>(() => killed.Service.RunAsync(
            created.Import!.Id, kill.Token, new ImportEngineTests.InlineProgress(_ => { if (++batches == 2) { kill.Cancel(); } })));
        var midway = (await killed.Service.GetAsync(killed.People.WorkspaceId, created.Import!.Id, Ct))!;
        var restarted = new ImportService(killed.People.Database.Factory, killed.People.Service, killed.People.Clock, killed.Service.Settings, Path.GetDirectoryName(killed.Service.FileOf(0))!);
        await restarted.RecoverAsync(Ct);
        restarted.Queue.TryDequeue(out var queued).ShouldBeTrue();
        await restarted.RunQueuedAsync(queued, Ct);

        ImportHarness.Counts(midway).ShouldBe("importing: 4 created, 2 updated, 0 skipped, 0 failed, 1 warnings, 6 of 10");
        var resumed = (await restarted.GetAsync(killed.People.WorkspaceId, queued.ImportId, Ct))!;
        var whole = (await uninterrupted.Service.ListAsync(uninterrupted.People.WorkspaceId, 1, Ct))[0];
        ImportHarness.Counts(resumed).ShouldBe(ImportHarness.Counts(whole));
        (await killed.ProblemsAsync(resumed.Id, ImportProblemKind.Warning, Ct)).ShouldBe(await uninterrupted.ProblemsAsync(whole.Id, ImportProblemKind.Warning, Ct));
        (await SnapshotAsync(killed.People)).ShouldBe(await SnapshotAsync(uninterrupted.People));
    }

    [Fact]
    public async Task AnEventImportResentAfterACrashAddsEachRowsEventOnce()
    {
        await using var harness = await ImportHarness.CreateAsync(Ct, batchRows: 2);
        await harness.People.IdentifyAsync("ann", "{}", Ct);
        var created = await harness.CreateAsync("id,name\nann,a\nann,b\nann,c\n", """{"type": "event", "identifier": "id"}""", Ct);
        await harness.Service.RunAsync(created.Import!.Id, Ct);

        // As if the progress of every batch had been lost: the rows are applied again.
        await using (var db = await harness.People.ContextAsync(Ct))
        {
            await db.Imports.ExecuteUpdateAsync(s => s.SetProperty(i => i.State, ImportState.Importing).SetProperty(i => i.RowsCommitted, 0), Ct);
        }

        await harness.Service.RunAsync(created.Import.Id, Ct);

        (await harness.People.ActivityAsync(Ct)).Where(a => a.Type == ActivityTypes.Event).Select(a => a.Name).ShouldBe(["a", "b", "c"]);
    }

    /// <summary>The people store as the tests compare it: people, attributes, activity, memberships, the cio_id counter.</summary>
    internal static async Task<List<string>> SnapshotAsync(PeopleHarness harness)
    {
        await using var db = await harness.ContextAsync(Ct);
        var people = await db.People.AsNoTracking().Where(p => p.WorkspaceId == harness.WorkspaceId).OrderBy(p => p.CioId).ToListAsync(Ct);
        var cioIds = people.ToDictionary(p => p.Id, p => p.CioId);
        var snapshot = people.Select(p => $"person {p.CioId} {p.ExternalId} {p.Email} {p.EmailIsIdentifier} {p.CreatedAt} {p.Unsubscribed}").ToList();
        snapshot.AddRange((await db.PersonAttributes.AsNoTracking().Where(a => a.WorkspaceId == harness.WorkspaceId).ToListAsync(Ct))
            .Select(a => $"attribute {cioIds[a.PersonId]} {a.Name} {a.Type} {a.TextValue} {a.NumberValue}").Order(StringComparer.Ordinal));
        snapshot.AddRange((await db.Activities.AsNoTracking().Where(a => a.WorkspaceId == harness.WorkspaceId && a.PersonId != null).ToListAsync(Ct))
            .Select(a => $"activity {a.CioId} {a.Type} {a.Source} {a.Data}").Order(StringComparer.Ordinal));
        snapshot.AddRange((await db.SegmentMemberships.AsNoTracking().Join(db.Segments, m => m.SegmentId, s => s.Id, (m, s) => new { s.Name, m.PersonId }).ToListAsync(Ct))
            .Select(m => $"member {m.Name} {cioIds[m.PersonId]}").Order(StringComparer.Ordinal));
        snapshot.Add($"next cio {(await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == harness.WorkspaceId, Ct)).NextCioNumber}");
        return snapshot;
    }
}
