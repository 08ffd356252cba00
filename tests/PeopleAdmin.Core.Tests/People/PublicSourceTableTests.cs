using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// The public sources' rules (identity-rules.md, "Ways in other than the API"), one row each: what a write that
/// anyone can send knowing only the site id may do. People are written "id|email" ("-" for none); "#0" is the first
/// existing person. The automatic merge is on in every row, so that a row where identify would merge proves that a
/// public source does not.
/// </summary>
[BothStores]
public sealed class PublicSourceTableTests
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
        string[]? SuppressedBefore = null,
        string[]? SuppressedAfter = null)
    {
        public override string ToString() => Description;
    }

    public static TheoryData<Row> Rows => new(
        new Row("a reference nobody holds creates a person with every identifier of the request", [], "n@x.com", """{"id":"n","plan":"pro"}""", "created", ["n|n@x.com"]),
        new Row("the referenced person's attributes are set", ["a|a@x.com"], "a", """{"plan":"pro"}""", "updated #0", ["a|a@x.com"]),
        new Row("an email is never added to a person who exists", ["a|-"], "a", """{"email":"e@x.com","plan":"pro"}""", "updated #0", ["a|-"], ["email"]),
        new Row("an id is never added to a person who exists", ["-|e@x.com"], "e@x.com", """{"id":"a"}""", "updated #0", ["-|e@x.com"], ["id"]),
        new Row("a set email never changes, not even where allow_email_updates_by_id would let an id reference change it", ["a|old@x.com"], "a", """{"email":"new@x.com"}""", "updated #0", ["a|old@x.com"], ["email"]),
        new Row("an identifier is never cleared", ["a|e@x.com"], "a", """{"email":null}""", "updated #0", ["a|e@x.com"], ["email"]),
        new Row("the person's own value (in any case) is no change and no failure", ["a|e@x.com"], "a", """{"email":"E@x.com"}""", "updated #0", ["a|e@x.com"]),
        new Row("identifiers of two people never merge them: only the referenced person's attributes change", ["a|-", "-|b@x.com"], "a", """{"email":"b@x.com","plan":"pro"}""", "updated #0", ["a|-", "-|b@x.com"], ["email"]),
        new Row("a reference nobody holds beside an identifier someone holds: a new person without it, never the holder given the reference", ["a|-"], "n@x.com", """{"id":"a"}""", "created", ["a|-", "-|n@x.com"], ["id"]),
        new Row("a body cio_id never references anyone", ["a|-"], "n@x.com", """{"cio_id":"#0","plan":"pro"}""", "created", ["a|-", "-|n@x.com"]),
        new Row("a cio_id reference is refused", ["a|-"], "cio_#0", """{"plan":"pro"}""", "rejected: a public source never references people by cio_id", ["a|-"]),
        new Row("_update is ignored: a public source may create", [], "a", """{"_update":true}""", "created", ["a|-"]),
        new Row("a blocked reference is refused", [], "undefined", "{}", "rejected: \"undefined\" is a blocked value and is never accepted as an identifier", []),
        new Row("a suppressed identifier makes the request ignored, and nothing more is suppressed", [], "s@x.com", """{"id":"n"}""", "ignored: suppressed identifier", [],
            SuppressedBefore: ["s@x.com"], SuppressedAfter: ["s@x.com"]),
        new Row("a suppressed body identifier makes the request ignored, and the reference is not suppressed", ["a|-"], "a", """{"email":"s@x.com"}""", "ignored: suppressed identifier", ["a|-"],
            SuppressedBefore: ["s@x.com"], SuppressedAfter: ["s@x.com"]),
        new Row("id_only: email is an ordinary attribute, which a public source may change", ["a|e@x.com"], "a", """{"email":"f@x.com"}""", "updated #0", ["a|f@x.com"], Mode: IdentifierMode.IdOnly));

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task APublicSourceCreatesAndSetsAttributesAndNothingMore(Row row)
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.AllowEmailUpdatesById = true);
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

        var reference = harness.Reference(row.Reference.Replace("#0", cioIds.FirstOrDefault(), StringComparison.Ordinal));
        var body = PeopleHarness.Body(row.Body.Replace("#0", cioIds.FirstOrDefault(), StringComparison.Ordinal));

        // Act
        var result = await harness.RunAsync(new PublicIdentifyOperation(reference, body), Ct, Sources.Snippet);

        // Assert
        var outcome = PeopleHarness.Outcome(result, cioIds);
        outcome.ShouldBe(row.Outcome);
        (await harness.PeopleAsync(Ct)).Select(p => $"{p.ExternalId ?? "-"}|{p.Email ?? "-"}").ShouldBe(row.Final);
        result.FailedChanges.Select(f => f.Identifier).ShouldBe(row.Failed ?? []);
        result.MergedCioId.ShouldBeNull();
        if (row.SuppressedAfter is not null)
        {
            (await harness.SuppressedAsync(Ct)).ShouldBe(row.SuppressedAfter);
        }

        if (row.Body.Contains("\"plan\"", StringComparison.Ordinal) && result.Status == OperationStatus.Applied)
        {
            var details = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForCioId(result.CioId!), Ct);
            details!.Attributes.ShouldContain(a => a.Name == "plan" && a.Value == "pro");
        }
    }

    [Fact]
    public async Task APublicSourceIgnoresTheReservedKeysAVisitorCouldAbuse()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"created_at":1000,"plan":"free"}""", Ct);
        var body = PeopleHarness.Body("""{"unsubscribed":true,"created_at":5,"_timestamp":1,"cio_relationships":"x","plan":"pro"}""");

        // Act
        var result = await harness.RunAsync(new PublicIdentifyOperation(PersonReference.ForId("a"), body), Ct, Sources.Snippet);

        // Assert
        result.Status.ShouldBe(OperationStatus.Applied);
        var person = (await harness.PeopleAsync(Ct)).Single();
        person.Unsubscribed.ShouldBeFalse();
        person.CreatedAt.ShouldBe(1000);
        var details = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("a"), Ct);
        details!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("pro");
        details.Attributes.ShouldNotContain(a => a.Name == "cio_relationships" || a.Name == "_timestamp");
    }
}
