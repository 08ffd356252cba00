using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Demo;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>The bulk path of identify must leave exactly what the identify rules leave, item by item.</summary>
[BothStores]
public sealed class ImportPeopleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Items => new()
    {
        "plain new people only",
        "a mix of new people, updates, rejections and ignored items",
        "updates of people who exist: changes, removals by empty cells, skips, identifier changes, suppressed people",
        "updates of more people than a flush holds back as single statements",
    };

    [Theory]
    [MemberData(nameof(Items))]
    public async Task TheBulkPathLeavesWhatTheIdentifyRulesLeave(string items)
    {
        await using var rules = await PeopleHarness.CreateAsync(Ct);
        await using var bulk = await PeopleHarness.CreateAsync(Ct);
        var updates = items.StartsWith("updates", StringComparison.Ordinal);
        foreach (var harness in new[] { rules, bulk })
        {
            await harness.IdentifyAsync("taken", """{"email":"taken@example.com"}""", Ct);
            await harness.SuppressDirectlyAsync(IdentifierKind.Email, "gone@example.com", Ct);
            if (updates)
            {
                await ExistingPeopleAsync(harness, items.Contains("more people", StringComparison.Ordinal) ? 80 : 8);
            }

            harness.Clock.Advance();
        }

        var operations = !updates ? Operations(rules, items == "plain new people only")
            : items.Contains("more people", StringComparison.Ordinal) ? [.. ManyUpdates(rules), .. Updates(rules)]
            : Updates(rules);

        var byRules = await rules.Service.ExecuteBatchAsync(rules.Context(Sources.Csv, "importer@example.com"), operations, Ct);
        var byBulk = await bulk.Service.ImportPeopleAsync(bulk.Context(Sources.Csv, "importer@example.com"), operations, Ct);

        byBulk.Select(Describe).ShouldBe(byRules.Select(Describe));
        (await SnapshotAsync(bulk)).ShouldBe(await SnapshotAsync(rules));
    }

    [Fact]
    public async Task AnImportForgetsEachItemThatWentThroughTheRulesOnceItIsSaved()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        foreach (var id in new[] { "ann", "bob", "cat" })
        {
            await harness.IdentifyAsync(id, """{"plan":"free"}""", Ct);
        }

        var import = new ObservedImport(new ImportPeopleOperation(
            [.. new[] { "ann", "bob", "cat" }.Select(id => new IdentifyOperation(PersonReference.ForId(id), PeopleHarness.Body("""{"plan":"pro"}""")))]));

        (await harness.RunAsync(import, Ct)).Status.ShouldBe(OperationStatus.Applied);

        import.TrackedAfter.ShouldBe(0, "every later save of a chunk would look at what earlier items left tracked");
        var people = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("cat"), Ct);
        people!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("pro");
    }

    [Fact]
    public async Task TheDemoGeneratorImportsRealisticPeopleAndTheirEventsRepeatablyThroughTheImportEngine()
    {
        await using var imports = await Imports.ImportHarness.CreateAsync(Ct);
        var harness = imports.People;
        var reports = new List<DemoProgress>();

        var done = await new DemoPeople().GenerateAsync(
            imports.Service, harness.WorkspaceId, "seed-demo", 1, 120, 2, new InlineProgress(reports.Add), Ct, chunk: 50);

        done.People.ShouldBe(120);
        done.Events.ShouldBe(240);
        done.Refused.ShouldBe(0);
        reports.Select(r => $"{r.People} {r.Events}").ShouldBe(["50 0", "100 0", "120 0", "120 50", "120 100", "120 150", "120 200", "120 240"]);
        (await imports.Service.ListAsync(harness.WorkspaceId, 10, Ct)).Select(Imports.ImportHarness.Counts).ShouldBe(
        [
            "imported: 0 created, 240 updated, 0 skipped, 0 failed, 0 warnings, 240 of 240",
            "imported: 120 created, 0 updated, 0 skipped, 0 failed, 0 warnings, 120 of 120",
        ]);
        var people = await harness.PeopleAsync(Ct);
        people.Count.ShouldBe(120);
        people.ShouldAllBe(p => p.ExternalId!.StartsWith("user-") && p.Email!.Contains('@') && p.CreatedAt < p.FirstSeenMs / 1000);
        await using var db = await harness.ContextAsync(Ct);
        var names = await db.PersonAttributes.Where(a => a.PersonId == people[0].Id).Select(a => a.Name).OrderBy(n => n).ToListAsync(Ct);
        names.ShouldBe(["age", "company", "country", "first_name", "last_name", "lifetime_value", "newsletter", "plan"]);
        (await db.Activities.CountAsync(a => a.Type == ActivityTypes.Event, Ct)).ShouldBe(240);
        new DemoPeople().Person(7).ShouldBeEquivalentTo(new DemoPeople().Person(7));
    }

    private static List<IdentifyOperation> Operations(PeopleHarness harness, bool plainOnly)
    {
        var demo = new DemoPeople();
        var operations = Enumerable.Range(1, 20).Select(i => demo.Person(i)).ToList();
        if (!plainOnly)
        {
            operations.Insert(3, new IdentifyOperation(harness.Reference("taken"), PeopleHarness.Body("""{"plan":"pro","email":"other@example.com"}""")));
            operations.Insert(5, new IdentifyOperation(harness.Reference("new-with-held-email"), PeopleHarness.Body("""{"email":"taken@example.com"}""")));
            operations.Insert(7, new IdentifyOperation(harness.Reference("suppressed"), PeopleHarness.Body("""{"email":"gone@example.com"}""")));
            operations.Insert(9, new IdentifyOperation(harness.Reference("cio_unknown"), PeopleHarness.Body("""{"plan":"x"}""")));
            operations.Insert(11, new IdentifyOperation(harness.Reference(new string('x', 151)), PeopleHarness.Body("{}")));
            operations.Insert(13, new IdentifyOperation(harness.Reference("user-2"), PeopleHarness.Body("""{"plan":"changed","unsubscribed":true}""")));
            operations.Insert(15, new IdentifyOperation(harness.Reference("path-wins"), PeopleHarness.Body("""{"id":"other"}""")));
            operations.Add(new IdentifyOperation(harness.Reference("last@example.com"), PeopleHarness.Body("""{"created_at":1700000000,"_timestamp":1700000001,"n":1.5}""")));
        }

        return operations;
    }

    /// <summary>The people the updates find, each as the rules left them, with one whose email is suppressed since and one at the attribute limit.</summary>
    private static async Task ExistingPeopleAsync(PeopleHarness harness, int demoPeople)
    {
        var demo = new DemoPeople();
        (await harness.Service.ExecuteBatchAsync(harness.Context(), [.. Enumerable.Range(1, demoPeople).Select(i => demo.Person(i))], Ct))
            .ShouldAllBe(r => r.Status == OperationStatus.Applied);
        await harness.IdentifyAsync("newer", """{"plan":"kept","_timestamp":1767225500}""", Ct);
        await harness.IdentifyAsync("sup", """{"email":"sup@example.com","plan":"free"}""", Ct);
        await harness.SuppressDirectlyAsync(IdentifierKind.Email, "sup@example.com", Ct);
        var full = string.Join(",", Enumerable.Range(1, Limits.CustomAttributes).Select(n => $"\"a{n}\":\"{n}\""));
        await harness.IdentifyAsync("full", $"{{{full}}}", Ct);
    }

    private static List<IdentifyOperation> Updates(PeopleHarness harness)
    {
        IdentifyOperation Item(string reference, string json) => new(harness.Reference(reference), PeopleHarness.Body(json));
        var demo = new DemoPeople();
        var (second, third) = (demo.Person(2), demo.Person(3));
        return
        [
            Item("user-1", """{"plan":"changed","age":"","company":"","missing":""}"""),
            second,
            Item("user-3", """{"created_at":1600000000,"unsubscribed":true,"score":2,"newsletter":"true"}"""),
            Item("newer", """{"plan":"older","_timestamp":1767225000,"fresh":"yes"}"""),
            Item("user-4", """{"email":"changed-4@example.com","plan":"with a new email"}"""),
            Item("user-5", """{"id":"user-5-renamed"}"""),
            Item("user-6", """{"email":"taken@example.com"}"""),
            Item("sup", """{"email":"sup@example.com","plan":"pro"}"""),
            Item("sup@example.com", """{"plan":"pro"}"""),
            Item("full", """{"one_more":"x"}"""),
            Item("full", """{"a1":"","one_more":"x"}"""),
            Item("taken@example.com", """{"plan":"by email","email":"TAKEN@example.com"}"""),
            Item("brand-new", """{"plan":"first"}"""),
            Item("brand-new", """{"plan":"second"}"""),
            Item("user-1", """{"plan":"twice","age":"41"}"""),
            Item("user-7", """{"plan":"updated","_update":true}"""),
            Item(second.Reference.Value, """{"unsubscribed":false,"created_at":1600000001}"""),
            third,
        ];
    }

    private static IEnumerable<IdentifyOperation> ManyUpdates(PeopleHarness harness) => Enumerable.Range(9, 72).Select(i =>
        new IdentifyOperation(harness.Reference($"user-{i}"), PeopleHarness.Body($$"""{"plan":"bulk {{i}}","age":"","score":{{i}},"unsubscribed":{{(i % 2 == 0 ? "true" : "false")}}}""")));

    private static string Describe(OperationResult r) =>
        $"{r.Status} {r.CioId} {r.Created} {r.IgnoredReason} {r.Error?.Kind} {string.Join(";", r.FailedChanges)} {string.Join(";", r.SkippedUpdates)}";

    private static async Task<List<string>> SnapshotAsync(PeopleHarness harness)
    {
        await using var db = await harness.ContextAsync(Ct);
        var people = await db.People.AsNoTracking().OrderBy(p => p.CioId).ToListAsync(Ct);
        var snapshot = people.Select(p =>
            $"person {p.CioId} {p.ExternalId} {p.Email} {p.EmailNormalized} {p.EmailIsIdentifier} {p.FirstSeenMs} {p.CreatedAt} {p.UpdatedMs} {p.ExternalIdChangedMs} {p.EmailChangedMs} {p.Unsubscribed} {p.CreatedAtChangedMs} {p.UnsubscribedChangedMs}").ToList();
        var cioIds = people.ToDictionary(p => p.Id, p => p.CioId);
        snapshot.AddRange((await db.PersonAttributes.AsNoTracking().ToListAsync(Ct))
            .Select(a => $"attribute {cioIds[a.PersonId]} {a.Name} {a.Type} {a.TextValue} {a.NumberValue} {a.SetMs} {a.Timestamp}").Order(StringComparer.Ordinal));
        snapshot.AddRange((await db.Activities.AsNoTracking().OrderBy(a => a.Id).ToListAsync(Ct))
            .Select(a => $"activity {a.CioId} {a.Type} {a.Source} {a.AtMs} {a.Name} {a.Data} {a.Actor}"));
        snapshot.AddRange((await db.Suppressions.AsNoTracking().ToListAsync(Ct)).Select(s => $"suppression {s.GroupId} {s.Kind} {s.Value}").Order(StringComparer.Ordinal));
        snapshot.Add($"next cio {(await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == harness.WorkspaceId, Ct)).NextCioNumber}");
        return snapshot;
    }

    private sealed class InlineProgress(Action<DemoProgress> report) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => report(value);
    }

    /// <summary>Applies an import and notes how many people and attributes the fast path still tracks.</summary>
    private sealed record ObservedImport(ImportPeopleOperation Inner) : PeopleOperation
    {
        public int TrackedAfter { get; private set; } = -1;

        internal override async Task<OperationResult> ApplyAsync(PeopleAdmin.Core.People.Writing.WriteSession session, CancellationToken cancellationToken)
        {
            var result = await Inner.ApplyAsync(session, cancellationToken);
            TrackedAfter = session.Everyday.Tracked;
            return result;
        }
    }
}
