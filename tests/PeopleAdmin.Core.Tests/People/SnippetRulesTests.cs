using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// The public-source rules as the browser snippet meets them: a visitor's <c>identify({id, …})</c> and the events of
/// an identified visitor, sent by anyone who reads the site id from a page. A visitor naming someone else's id may
/// set that person's attributes (Customer.io's snippet can too) and nothing more.
/// </summary>
[BothStores]
public sealed class SnippetRulesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PublicIdentifyOperation Identify(string call, IdentifierMode mode = IdentifierMode.EmailOrId) =>
        PublicIdentifyOperation.FromSnippet(PeopleHarness.Body(call), mode) ?? throw new InvalidOperationException("the call names no identifier");

    [Fact]
    public async Task AnIdentifyNamingSomeoneElsesIdCannotAddAnEmailToThem()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("victim", "{}", Ct);

        // Act
        var result = await harness.RunAsync(Identify("""{"id":"victim","email":"attacker@x.com"}"""), Ct, Sources.Snippet);

        // Assert
        result.Status.ShouldBe(OperationStatus.Applied);
        result.FailedChanges.Select(f => f.Identifier).ShouldBe(["email"]);
        (await harness.PeopleAsync(Ct)).Select(p => $"{p.ExternalId}|{p.Email ?? "-"}").ShouldBe(["victim|-"]);
    }

    [Fact]
    public async Task AnIdentifyNamingSomeoneElsesIdAndAnotherPersonsEmailNeverMergesThem()
    {
        // Arrange: the automatic merge's conditions hold (one has only an id, the other only an email).
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.MultiIdentifierMerge = true);
        await harness.IdentifyAsync("victim", "{}", Ct);
        await harness.IdentifyAsync("other@x.com", "{}", Ct);

        // Act
        var result = await harness.RunAsync(Identify("""{"id":"victim","email":"other@x.com"}"""), Ct, Sources.Snippet);

        // Assert
        result.MergedCioId.ShouldBeNull();
        (await harness.PeopleAsync(Ct)).Select(p => $"{p.ExternalId ?? "-"}|{p.Email ?? "-"}").ShouldBe(["victim|-", "-|other@x.com"]);
        (await harness.ActivityAsync(Ct)).ShouldNotContain(a => a.Type == ActivityTypes.ProfileMerge);
    }

    [Fact]
    public async Task AnIdentifyNamingSomeoneWhoUnsubscribedCannotResubscribeThem()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("victim", """{"unsubscribed":true}""", Ct);

        // Act
        var result = await harness.RunAsync(Identify("""{"id":"victim","unsubscribed":false,"plan":"pro"}"""), Ct, Sources.Snippet);

        // Assert
        result.Status.ShouldBe(OperationStatus.Applied);
        (await harness.PeopleAsync(Ct)).Single().Unsubscribed.ShouldBeTrue();
    }

    [Fact]
    public async Task AnIdentifyNamingASuppressedIdentifierIsIgnoredAndSuppressesNothingMore()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.SuppressDirectlyAsync(IdentifierKind.Id, "gone", Ct);

        // Act
        var result = await harness.RunAsync(Identify("""{"id":"gone","email":"new@x.com","anonymous_id":"anon-1"}"""), Ct, Sources.Snippet);

        // Assert
        result.Status.ShouldBe(OperationStatus.Ignored);
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
        (await harness.SuppressedAsync(Ct)).ShouldBe(["gone"]);
    }

    [Fact]
    public async Task AnIdentifyByACioIdShapedIdIsRefused()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var cioId = (await harness.IdentifyAsync("victim", "{}", Ct)).CioId;

        // Act
        var result = await harness.RunAsync(Identify($$"""{"id":"cio_{{cioId}}","plan":"pro"}"""), Ct, Sources.Snippet);

        // Assert
        result.Status.ShouldBe(OperationStatus.Rejected);
        result.Error!.Message.ShouldBe("a public source never references people by cio_id");
    }

    [Theory]
    [InlineData("""{"id":"a@x.com"}""", IdentifierMode.EmailOrId, "a@x.com", "-", "an id with @ is an email in email_or_id")]
    [InlineData("""{"id":"a@x.com"}""", IdentifierMode.IdOnly, "-", "a@x.com", "everything is an id in id_only")]
    [InlineData("""{"id":"a","email":"a@x.com"}""", IdentifierMode.EmailOrId, "a@x.com", "a", "an email beside the id is a body identifier")]
    [InlineData("""{"email":"a@x.com"}""", IdentifierMode.EmailOrId, "a@x.com", "-", "an email alone is the reference in email_or_id")]
    [InlineData("""{"id":42}""", IdentifierMode.EmailOrId, "-", "42", "a number is an id")]
    public async Task TheSnippetsIdIsClassifiedAsAPathIdentifierIs(string call, IdentifierMode mode, string email, string id, string why)
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.Identifiers = mode);

        // Act
        var result = await harness.RunAsync(Identify(call, mode: mode), Ct, Sources.Snippet);

        // Assert
        result.Status.ShouldBe(OperationStatus.Applied, why);
        var person = (await harness.PeopleAsync(Ct)).Single();
        $"{person.Email ?? "-"}|{person.ExternalId ?? "-"}".ShouldBe($"{email}|{id}", why);
    }

    [Fact]
    public void ACallWithoutAnIdentifierGivesNoOperation()
    {
        // Act and Assert
        PublicIdentifyOperation.FromSnippet(PeopleHarness.Body("""{"plan":"pro","anonymous_id":"anon-1"}"""), IdentifierMode.EmailOrId).ShouldBeNull();
        PublicIdentifyOperation.FromSnippet(PeopleHarness.Body("""{"email":"a@x.com"}"""), IdentifierMode.IdOnly).ShouldBeNull();
    }

    [Fact]
    public async Task AnonymousPageViewsAndEventsJoinThePersonOnIdentifyAndLaterEventsFollowThem()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.AnonymousEventMerge = true);
        await harness.RunAsync(new TrackAnonymousEventOperation("anon-1", new EventInput("https://shop.test/", EventInput.PageType, null, null, null)), Ct, Sources.Snippet);
        await harness.RunAsync(new TrackAnonymousEventOperation("anon-1", new EventInput("viewed_item", EventInput.EventType, null, null, null)), Ct, Sources.Snippet);

        // Act
        var identified = await harness.RunAsync(Identify("""{"id":"visitor","email":"v@x.com","anonymous_id":"anon-1"}"""), Ct, Sources.Snippet);
        await harness.RunAsync(new TrackEventOperation(PersonReference.ForId("visitor"), new EventInput("purchased", EventInput.EventType, null, null, null), Public: true), Ct, Sources.Snippet);

        // Assert
        identified.Created.ShouldBeTrue();
        var person = (await harness.PeopleAsync(Ct)).Single();
        var activity = await harness.ActivityAsync(Ct);
        activity.Where(a => a.PersonId == person.Id && a.Type is ActivityTypes.Page or ActivityTypes.Event).Select(a => a.Name)
            .ShouldBe(["https://shop.test/", "viewed_item", "purchased"], ignoreOrder: true);
        activity.ShouldContain(a => a.Type == ActivityTypes.AnonMerge && a.PersonId == person.Id);
        activity.Where(a => a.PersonId == person.Id).ShouldAllBe(a => a.Source == Sources.Snippet);
    }

    [Fact]
    public async Task AnonymousEventsStayAnonymousWhenTheWorkspaceDoesNotMergeThem()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.AnonymousEventMerge = false);
        await harness.RunAsync(new TrackAnonymousEventOperation("anon-1", new EventInput("viewed_item", EventInput.EventType, null, null, null)), Ct, Sources.Snippet);

        // Act
        await harness.RunAsync(Identify("""{"id":"visitor","anonymous_id":"anon-1"}"""), Ct, Sources.Snippet);

        // Assert
        (await harness.ActivityAsync(Ct)).Single(a => a.Name == "viewed_item").PersonId.ShouldBeNull();
    }

    [Fact]
    public async Task AnIdentifiedVisitorsEventNamingACioIdIsRefused()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var cioId = (await harness.IdentifyAsync("victim", "{}", Ct)).CioId!;

        // Act
        var result = await harness.RunAsync(new TrackEventOperation(PersonReference.ForCioId(cioId), new EventInput("purchased", EventInput.EventType, null, null, null), Public: true), Ct, Sources.Snippet);

        // Assert
        result.Status.ShouldBe(OperationStatus.Rejected);
        (await harness.ActivityAsync(Ct)).ShouldNotContain(a => a.Name == "purchased");
    }

    [Fact]
    public async Task AnIdentifiedVisitorsEventNamingASuppressedIdentifierIsIgnoredAndSuppressesNothingMore()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.SuppressDirectlyAsync(IdentifierKind.Email, "gone@x.com", Ct);

        // Act
        var result = await harness.RunAsync(new TrackEventOperation(PersonReference.ForEmail("gone@x.com"), new EventInput("purchased", EventInput.EventType, null, null, null), Public: true), Ct, Sources.Snippet);

        // Assert
        result.Status.ShouldBe(OperationStatus.Ignored);
        (await harness.PeopleAsync(Ct)).ShouldBeEmpty();
        (await harness.SuppressedAsync(Ct)).ShouldBe(["gone@x.com"]);
    }
}
