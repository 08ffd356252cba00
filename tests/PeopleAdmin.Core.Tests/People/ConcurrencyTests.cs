using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>Many callers at once on the real service and a file database: the single writer keeps the rules' answers as if one after another.</summary>
[BothStores]
public sealed class ConcurrencyTests
{
    private const int Callers = 64;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheSameNewPersonIdentifiedByManyCallersAtOnceIsExactlyOnePerson()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
            harness.Service.ExecuteAsync(harness.Context(), Identify(harness, "ada", $$"""{"email":"ada@example.com","caller_{{i}}":true}"""), Ct)));

        results.ShouldAllBe(r => r.Status == OperationStatus.Applied);
        results.Count(r => r.Created).ShouldBe(1);
        results.Select(r => r.CioId).Distinct().Count().ShouldBe(1);
        var person = (await harness.PeopleAsync(Ct)).ShouldHaveSingleItem();
        person.ExternalId.ShouldBe("ada");
        person.Email.ShouldBe("ada@example.com");
        (await AttributeNamesAsync(harness, person.Id)).Count.ShouldBe(Callers);
    }

    [Fact]
    public async Task TheSamePersonUpdatedWithDifferentAttributesAtOnceLosesNoAttribute()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("grace", """{"plan":"free"}""", Ct);
        harness.Clock.Advance();

        var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
            harness.Service.ExecuteAsync(harness.Context(), Identify(harness, "grace", $$"""{"attribute_{{i}}":{{i}}}"""), Ct)));

        results.ShouldAllBe(r => r.Status == OperationStatus.Applied && !r.Created);
        var person = (await harness.PeopleAsync(Ct)).ShouldHaveSingleItem();
        var names = await AttributeNamesAsync(harness, person.Id);
        names.ShouldBe([.. Enumerable.Range(0, Callers).Select(i => $"attribute_{i}").Append("plan").Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public async Task ABatchWithARejectedOperationAppliesTheOthers()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var nearlyFull = string.Join(",", Enumerable.Range(0, Limits.CustomAttributes - 5).Select(i => $"\"a{i}\":{i}"));
        await harness.IdentifyAsync("full", "{" + nearlyFull + "}", Ct);
        harness.Clock.Advance();
        var overLimit = string.Join(",", Enumerable.Range(0, 10).Select(i => $"\"more{i}\":{i}"));

        var results = await harness.Service.ExecuteBatchAsync(harness.Context(),
        [
            Identify(harness, "first", """{"plan":"pro"}"""),
            Identify(harness, "full", "{\"email\":\"full@example.com\"," + overLimit + "}"),
            Identify(harness, "cio_notapersonid", """{"plan":"x"}"""),
            Identify(harness, "second", """{"plan":"basic"}"""),
        ], Ct);

        results.Select(r => r.Status).ShouldBe([OperationStatus.Applied, OperationStatus.Rejected, OperationStatus.Ignored, OperationStatus.Applied]);
        var people = await harness.PeopleAsync(Ct);
        people.Select(p => p.ExternalId).ShouldBe(["full", "first", "second"]);
        people[0].Email.ShouldBeNull();
        (await AttributeNamesAsync(harness, people[0].Id)).Count.ShouldBe(Limits.CustomAttributes - 5);
    }

    [Fact]
    public async Task NoCallerSeesDatabaseIsLockedWhileAnotherConnectionWritesOutsideTheWriter()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var audit = new AuditTrail(harness.Database.Factory, TimeProvider.System);

        var identifies = Task.WhenAll(Enumerable.Range(0, Callers * 4).Select(i =>
            harness.Service.ExecuteAsync(harness.Context(), Identify(harness, $"person-{i}", $$"""{"n":{{i}}}"""), Ct)));
        var outside = Task.WhenAll(Enumerable.Range(0, 8).Select(async writer =>
        {
            for (var i = 0; i < 25; i++)
            {
                await audit.RecordAsync(AuditActions.SignedIn, $"operator{writer}@example.com", $"entry {i}", null, Ct);
            }
        }));
        await Task.WhenAll(identifies, outside);

        (await identifies).ShouldAllBe(r => r.Status == OperationStatus.Applied && r.Created);
        (await harness.PeopleAsync(Ct)).Count.ShouldBe(Callers * 4);
        await using var db = await harness.ContextAsync(Ct);
        (await db.AuditEntries.CountAsync(Ct)).ShouldBe(200);
    }

    [Fact]
    public async Task TheLeadAndTheCustomerRaceConvergeOnOnePersonWithMultiIdentifierMerge()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.MultiIdentifierMerge = true);
        await SkipUnlessAutomaticMergeAsync(harness);
        const int pairs = 32;

        // Every order of the three calls must end in one person: the lead (email), the customer (id), the link (both).
        var results = await Task.WhenAll(Enumerable.Range(0, pairs).SelectMany(i => new[]
        {
            harness.Service.ExecuteAsync(harness.Context(), Identify(harness, $"lead{i}@example.com", """{"source":"form"}"""), Ct),
            harness.Service.ExecuteAsync(harness.Context(), Identify(harness, $"customer-{i}", """{"plan":"pro"}"""), Ct),
            harness.Service.ExecuteAsync(harness.Context(), Identify(harness, $"customer-{i}", $$"""{"email":"lead{{i}}@example.com"}"""), Ct),
        }));

        results.ShouldAllBe(r => r.Status == OperationStatus.Applied);
        var people = (await harness.PeopleAsync(Ct)).Where(p => p.ExternalId != "probe").ToList();
        people.Count.ShouldBe(pairs);
        people.ShouldAllBe(p => p.ExternalId != null && p.Email == p.ExternalId.Replace("customer-", "lead", StringComparison.Ordinal) + "@example.com");
    }

    [Fact]
    public async Task AMergeRacingIdentifiesLosesNeitherTheMergeNorTheUpdates()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        // The primary lacks an id, so the merge gives it the secondary's: identifies by that id find whoever holds it.
        var primary = await harness.IdentifyAsync("primary@example.com", """{"plan":"pro"}""", Ct);
        var secondary = await harness.IdentifyAsync("secondary", """{"plan":"free"}""", Ct);
        harness.Clock.Advance();

        var merge = harness.Service.ExecuteAsync(harness.Context(), new MergeOperation(harness.Reference("primary@example.com"), harness.Reference("secondary")), Ct);
        var identifies = Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
            harness.Service.ExecuteAsync(harness.Context(), Identify(harness, "secondary", $$"""{"attribute_{{i}}":{{i}}}"""), Ct)));
        var merged = await merge;
        await identifies;
        merged.Status.ShouldBe(OperationStatus.Applied);
        var people = await harness.PeopleAsync(Ct);
        var kept = people.ShouldHaveSingleItem();
        kept.CioId.ShouldBe(primary.CioId);
        kept.CioId.ShouldNotBe(secondary.CioId);
        kept.ExternalId.ShouldBe("secondary");
        var names = await AttributeNamesAsync(harness, kept.Id);
        Enumerable.Range(0, Callers).ShouldAllBe(i => names.Contains($"attribute_{i}"));
    }

    private static IdentifyOperation Identify(PeopleHarness harness, string reference, string json) =>
        new(harness.Reference(reference), PeopleHarness.Body(json));

    private static async Task<List<string>> AttributeNamesAsync(PeopleHarness harness, long personId)
    {
        await using var db = await harness.ContextAsync(Ct);
        return await db.PersonAttributes.Where(a => a.PersonId == personId).Select(a => a.Name).OrderBy(n => n).ToListAsync(Ct);
    }

    /// <summary>The race's convergence depends on issue 5's automatic merge; until that is in the build, say so instead of failing.</summary>
    private static async Task SkipUnlessAutomaticMergeAsync(PeopleHarness harness)
    {
        await harness.IdentifyAsync("probe@example.com", "{}", Ct);
        await harness.IdentifyAsync("probe", "{}", Ct);
        await harness.IdentifyAsync("probe", """{"email":"probe@example.com"}""", Ct);
        if ((await harness.PeopleAsync(Ct)).Count != 1)
        {
            Assert.Skip("The automatic merge of multi_identifier_merge (issue 5) is not in this build.");
        }
    }
}
