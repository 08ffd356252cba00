using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// The seed's three flowcharts, the spec's identifier table and identify rules 1 to 3, one row per branch, in
/// both workspace modes, with every setting that matters on and off. People are written "id|email" ("-" for none);
/// "cio_#0" is the cio_id of the first existing person. Automatic merge is off here (its rows are in MergeTests).
/// </summary>
[BothStores]
public sealed class IdentifyTableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record Row(
        string Description,
        string[] Existing,
        string Reference,
        string Body,
        string Outcome,
        string[] Final,
        string[]? Failed = null,
        IdentifierMode Mode = IdentifierMode.EmailOrId,
        bool AllowEmailUpdatesById = false,
        bool ReferencePeopleByCioId = false,
        string[]? SuppressedBefore = null,
        string[]? SuppressedAfter = null,
        string Source = Sources.Api)
    {
        public override string ToString() => Description;
    }

    public static TheoryData<Row> Rows => new(
        // Flowchart: identify person by cio_id.
        new Row("cio_id: a cio_id nobody has is ignored and creates nobody", ["a|a@x.com"], "cio_zz9", """{"plan":"pro"}""", "ignored: unknown cio_id", ["a|a@x.com"]),
        new Row("cio_id: a request without identifiers updates the person's attributes", ["a|a@x.com"], "cio_#0", """{"plan":"pro"}""", "updated #0", ["a|a@x.com"]),
        new Row("cio_id: a request with identifiers updates the person's identifiers and attributes", ["a|a@x.com"], "cio_#0", """{"id":"b","email":"b@x.com"}""", "updated #0", ["b|b@x.com"]),
        new Row("cio_id: the person's identifiers are suppressed, so the request is ignored and its new identifiers suppressed", ["a|a@x.com"], "cio_#0", """{"id":"new"}""", "ignored: suppressed identifier", ["a|a@x.com"],
            SuppressedBefore: ["a@x.com"], SuppressedAfter: ["a@x.com", "new"]),
        new Row("cio_id: an identifier in the request is suppressed, so the request is ignored and the others suppressed", ["a|-"], "cio_#0", """{"email":"s@x.com","id":"other"}""", "ignored: suppressed identifier", ["a|-"],
            SuppressedBefore: ["s@x.com"], SuppressedAfter: ["other", "s@x.com"]),
        new Row("cio_id in the body references the person; the path email is set on them", ["a|-"], "someone@x.com", """{"cio_id":"#0"}""", "updated #0", ["a|someone@x.com"]),
        new Row("cio_id: an identifier that another person holds is a failed change", ["a|-", "b|b@x.com"], "cio_#0", """{"email":"b@x.com"}""", "updated #0", ["a|-", "b|b@x.com"], ["email"]),

        // Flowchart: update email (email and id are identifiers).
        new Row("email not set: an id reference sets it", ["a|-"], "a", """{"email":"e@x.com"}""", "updated #0", ["a|e@x.com"]),
        new Row("email set: an id reference cannot change it without allow_email_updates_by_id", ["a|old@x.com"], "a", """{"email":"new@x.com"}""", "updated #0", ["a|old@x.com"], ["email"]),
        new Row("email set: an id reference changes it with allow_email_updates_by_id", ["a|old@x.com"], "a", """{"email":"new@x.com"}""", "updated #0", ["a|new@x.com"], AllowEmailUpdatesById: true),
        new Row("email set: a cio_id reference changes it", ["a|old@x.com"], "cio_#0", """{"email":"new@x.com"}""", "updated #0", ["a|new@x.com"]),
        new Row("email set: an email reference cannot change it, even with allow_email_updates_by_id", ["a|old@x.com"], "old@x.com", """{"email":"new@x.com"}""", "updated #0", ["a|old@x.com"], ["email"], AllowEmailUpdatesById: true),
        new Row("email set: a new path email given to the person a body id finds fails without allow_email_updates_by_id", ["a|old@x.com"], "new@x.com", """{"id":"a"}""", "updated #0", ["a|old@x.com"], ["email"]),
        new Row("email set: a new path email given to the person a body id finds changes it with allow_email_updates_by_id", ["a|old@x.com"], "new@x.com", """{"id":"a"}""", "updated #0", ["a|new@x.com"], AllowEmailUpdatesById: true),

        // Flowchart: update id (email and id are identifiers).
        new Row("id not set: an email reference sets it (seed: id in the payload)", ["-|person@example.com"], "person@example.com", """{"id":"id1234"}""", "updated #0", ["id1234|person@example.com"]),
        new Row("id not set: the id in the path is given to the person the body email finds (seed: id in the path)", ["-|person@example.com"], "id1234", """{"email":"person@example.com"}""", "updated #0", ["id1234|person@example.com"]),
        new Row("the lead who becomes a customer: identified by email, then given an id", ["-|lead@x.com"], "lead@x.com", """{"id":"cust-1","plan":"paid"}""", "updated #0", ["cust-1|lead@x.com"]),
        new Row("id set: an email reference cannot change it", ["a|p@x.com"], "p@x.com", """{"id":"b"}""", "updated #0", ["a|p@x.com"], ["id"]),
        new Row("id set: an id reference cannot change it, allow_email_updates_by_id or not", ["a|p@x.com"], "a", """{"id":"b"}""", "updated #0", ["a|p@x.com"], ["id"], AllowEmailUpdatesById: true),
        new Row("id set: a cio_id reference changes it", ["a|p@x.com"], "cio_#0", """{"id":"b"}""", "updated #0", ["b|p@x.com"]),

        // Flowchart: update id (id is the only identifier).
        new Row("id_only: an id nobody has creates the person", [], "a", "{}", "created", ["a|-"], Mode: IdentifierMode.IdOnly),
        new Row("id_only: a set id changes through cio_id with reference_people_by_cio_id", ["a|-"], "cio_#0", """{"id":"b"}""", "updated #0", ["b|-"], Mode: IdentifierMode.IdOnly, ReferencePeopleByCioId: true),
        new Row("id_only: a set id never changes without reference_people_by_cio_id", ["a|-"], "cio_#0", """{"id":"b"}""", "updated #0", ["a|-"], ["id"], Mode: IdentifierMode.IdOnly),
        new Row("id_only: an id reference never changes an id, whatever the settings", ["a|-"], "a", """{"id":"b"}""", "updated #0", ["a|-"], ["id"], Mode: IdentifierMode.IdOnly, ReferencePeopleByCioId: true),
        new Row("id_only: email is an ordinary attribute that two people may share", ["a|e@x.com"], "b", """{"email":"E@x.com"}""", "created", ["a|e@x.com", "b|E@x.com"], Mode: IdentifierMode.IdOnly),
        new Row("id_only: email can be set or changed at any time", ["a|e@x.com"], "a", """{"email":"f@x.com"}""", "updated #0", ["a|f@x.com"], Mode: IdentifierMode.IdOnly),
        new Row("id_only: a path value with @ is an id", [], "x@y.com", "{}", "created", ["x@y.com|-"], Mode: IdentifierMode.IdOnly),
        new Row("id_only: allow_email_updates_by_id is inert", ["a|-"], "cio_#0", """{"id":"b"}""", "updated #0", ["a|-"], ["id"], Mode: IdentifierMode.IdOnly, AllowEmailUpdatesById: true),
        new Row("email_or_id: reference_people_by_cio_id is inert (cio_id changes ids anyway)", ["a|-"], "cio_#0", """{"id":"b"}""", "updated #0", ["b|-"], ReferencePeopleByCioId: false),

        // Identify rule 2: path, then body, then _update, then create.
        new Row("the path identifier's person is updated", ["a|-", "b|-"], "b", """{"plan":"pro"}""", "updated #1", ["a|-", "b|-"]),
        new Row("emails match case-insensitively", ["-|p@x.com"], "P@X.COM", """{"plan":"pro"}""", "updated #0", ["-|p@x.com"]),
        new Row("the conflicting payload identifier fails and the other attributes still apply", ["a|-", "b|e@x.com"], "a", """{"email":"e@x.com","plan":"pro"}""", "updated #0", ["a|-", "b|e@x.com"], ["email"]),
        new Row("body id and email of two people: the id's person is updated and the email fails", ["a|a@x.com", "b|b@x.com"], "new@x.com", """{"id":"a","email":"b@x.com"}""", "updated #0", ["a|a@x.com", "b|b@x.com"], ["email", "email"]),
        new Row("_update without a match creates nobody", [], "a", """{"_update":true}""", "ignored: _update without a match", []),
        new Row("_update with a match updates", ["a|-"], "a", """{"_update":true,"plan":"pro"}""", "updated #0", ["a|-"]),
        new Row("a new person takes every identifier of the request", [], "a", """{"email":"e@x.com"}""", "created", ["a|e@x.com"]),
        new Row("a new person: a body value of the path's kind that differs fails and the path wins", [], "a", """{"id":"b"}""", "created", ["a|-"], ["id"]),
        new Row("a blocked value in the body is a failed change", [], "a", """{"email":"undefined"}""", "created", ["a|-"], ["email"]),
        new Row("an id starting with cio_ in the body is a failed change", [], "e@x.com", """{"id":"cio_abc"}""", "created", ["-|e@x.com"], ["id"]),
        new Row("a suppressed path identifier is ignored and the request's other identifiers suppressed", [], "s@x.com", """{"id":"n"}""", "ignored: suppressed identifier", [],
            SuppressedBefore: ["s@x.com"], SuppressedAfter: ["n", "s@x.com"]),
        new Row("suppressed: an identifier that a live person holds is left alone", ["h|-"], "s@x.com", """{"id":"h"}""", "ignored: suppressed identifier", ["h|-"],
            SuppressedBefore: ["s@x.com"], SuppressedAfter: ["s@x.com"]),
        new Row("suppressed emails match case-insensitively", [], "S@X.com", "{}", "ignored: suppressed identifier", [], SuppressedBefore: ["s@x.com"], SuppressedAfter: ["s@x.com"]),

        // Clearing identifiers.
        new Row("clearing an email through cio_id", ["a|e@x.com"], "cio_#0", """{"email":null}""", "updated #0", ["a|-"]),
        new Row("clearing an id through cio_id with an empty string", ["a|e@x.com"], "cio_#0", """{"id":""}""", "updated #0", ["-|e@x.com"]),
        new Row("clearing the only identifier fails: a person keeps one", ["-|e@x.com"], "cio_#0", """{"email":""}""", "updated #0", ["-|e@x.com"], ["email"]),
        new Row("clearing an email through an id reference is a change, refused without allow_email_updates_by_id", ["a|e@x.com"], "a", """{"email":null}""", "updated #0", ["a|e@x.com"], ["email"]),
        new Row("clearing an email through an id reference with allow_email_updates_by_id", ["a|e@x.com"], "a", """{"email":null}""", "updated #0", ["a|-"], AllowEmailUpdatesById: true),
        new Row("id_only: clearing the id fails: a person keeps one", ["a|-"], "cio_#0", """{"id":null}""", "updated #0", ["a|-"], ["id"], Mode: IdentifierMode.IdOnly, ReferencePeopleByCioId: true),

        // CSV import and database sync set missing identifiers, never change set ones.
        new Row("CSV sets a missing id", ["-|e@x.com"], "e@x.com", """{"id":"a"}""", "updated #0", ["a|e@x.com"], Source: Sources.Csv),
        new Row("CSV never changes a set email, even with allow_email_updates_by_id", ["a|e@x.com"], "a", """{"email":"f@x.com"}""", "updated #0", ["a|e@x.com"], ["email"], AllowEmailUpdatesById: true, Source: Sources.Csv),
        new Row("sync never changes a set id, even by cio_id", ["a|e@x.com"], "cio_#0", """{"id":"b"}""", "updated #0", ["a|e@x.com"], ["id"], Source: Sources.Sync));

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task IdentifyFollowsTheFlowcharts(Row row)
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct, s =>
        {
            s.MultiIdentifierMerge = false;
            s.AllowEmailUpdatesById = row.AllowEmailUpdatesById;
            s.ReferencePeopleByCioId = row.ReferencePeopleByCioId;
        });
        harness.Mode = row.Mode;
        if (row.Mode == IdentifierMode.IdOnly)
        {
            (await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { Identifiers = IdentifierMode.IdOnly }), Ct)).Status.ShouldBe(OperationStatus.Applied);
        }

        var cioIds = await harness.AddPeopleAsync(row.Existing, Ct);
        foreach (var value in row.SuppressedBefore ?? [])
        {
            await harness.SuppressDirectlyAsync(value.Contains('@', StringComparison.Ordinal) ? IdentifierKind.Email : IdentifierKind.Id, value, Ct);
        }

        var reference = row.Reference.Replace("#0", cioIds.FirstOrDefault(), StringComparison.Ordinal);
        var body = row.Body.Replace("#0", cioIds.FirstOrDefault(), StringComparison.Ordinal);

        // Act
        var result = await harness.IdentifyAsync(reference, body, Ct, row.Source);

        // Assert
        var people = await harness.PeopleAsync(Ct);
        var outcome = PeopleHarness.Outcome(result, cioIds);
        outcome.ShouldBe(row.Outcome);
        people.Select(p => $"{p.ExternalId ?? "-"}|{p.Email ?? "-"}").ShouldBe(row.Final);
        result.FailedChanges.Select(f => f.Identifier).ShouldBe(row.Failed ?? []);
        if (row.SuppressedAfter is not null)
        {
            (await harness.SuppressedAsync(Ct)).ShouldBe(row.SuppressedAfter);
        }

        if (body.Contains("\"plan\"", StringComparison.Ordinal) && result.Status == OperationStatus.Applied)
        {
            var details = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForCioId(result.CioId!), Ct);
            details!.Attributes.ShouldContain(a => a.Name == "plan");
        }
    }
}
