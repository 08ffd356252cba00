using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.People;
using PeopleAdmin.Web.Tests.Infrastructure;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.People;

[BothStores]
public sealed class PeopleDirectoryTests : ConsoleTestContext
{
    private PeopleDirectory Directory => Services.GetRequiredService<PeopleDirectory>();

    [Theory]
    [InlineData("Ann@Example.TEST")]
    [InlineData("ann-1")]
    public async Task AnExactEmailInAnyCaseOrAnExactIdOpensThePerson(string search)
    {
        var ann = await IdentifyAsync("ann-1", ("email", "ann@example.test"));
        await IdentifyAsync("ann-10", ("email", "ann.other@example.test"));

        var found = await Directory.SearchAsync(WorkspaceId, IdentifierMode.EmailOrId, search, Xunit.TestContext.Current.CancellationToken);

        found.ExactCioId.ShouldBe(ann);
    }

    [Fact]
    public async Task ACioIdWithItsPrefixOpensThePerson()
    {
        var cioId = await IdentifyAsync("someone@example.test");

        var found = await Directory.SearchAsync(WorkspaceId, IdentifierMode.EmailOrId, $"cio_{cioId}", Xunit.TestContext.Current.CancellationToken);

        found.ExactCioId.ShouldBe(cioId);
    }

    [Fact]
    public async Task AnythingElseIsAPrefixSearchOverEmailAndId()
    {
        await IdentifyAsync("team-1", ("email", "zed@example.test"));
        await IdentifyAsync("team@example.test");
        await IdentifyAsync("other@example.test");

        var found = await Directory.SearchAsync(WorkspaceId, IdentifierMode.EmailOrId, "TEAM", Xunit.TestContext.Current.CancellationToken);

        found.ExactCioId.ShouldBeNull();
        found.Matches.Select(m => m.Email).ShouldBe(["team@example.test"], "emails match ignoring case; ids are case-sensitive");
        (await Directory.SearchAsync(WorkspaceId, IdentifierMode.EmailOrId, "team", Xunit.TestContext.Current.CancellationToken))
            .Matches.Select(m => m.Email).ShouldBe(["team@example.test", "zed@example.test"], ignoreOrder: true);
    }

    [Fact]
    public async Task PagesGoNewestFirstAndNextAndPreviousWalkTheKeyset()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        for (var i = 0; i < PeopleDirectory.PageSize + 5; i++)
        {
            await IdentifyAsync($"p{i:000}");
        }

        var first = await Directory.PageAsync(WorkspaceId, null, null, ct);
        var second = await Directory.PageAsync(WorkspaceId, first.Next, null, ct);
        var back = await Directory.PageAsync(WorkspaceId, null, second.Previous, ct);

        first.Rows.Count.ShouldBe(PeopleDirectory.PageSize);
        first.Rows[0].Id.ShouldBe($"p{PeopleDirectory.PageSize + 4:000}");
        first.Previous.ShouldBeNull();
        second.Rows.Select(r => r.Id).ShouldBe(["p004", "p003", "p002", "p001", "p000"]);
        second.Next.ShouldBeNull();
        back.Rows.Select(r => r.CioId).ShouldBe(first.Rows.Select(r => r.CioId));
        back.Previous.ShouldBeNull();
    }

    [Fact]
    public async Task APrefixSearchIsKeysetPagedByEmailThenByIdForwardAndBack()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        for (var i = 0; i < 30; i++)
        {
            await IdentifyAsync($"team{i:00}@example.test");
            await IdentifyAsync($"team-{i:00}", ("email", $"z{i:00}@example.test"));
        }

        await IdentifyAsync("team-both", ("email", "team-both@example.test"));
        string[] expected =
        [
            "team-both@example.test", .. Enumerable.Range(0, 30).Select(i => $"team{i:00}@example.test"),
            .. Enumerable.Range(0, 30).Select(i => $"z{i:00}@example.test"),
        ];

        var first = await Directory.SearchAsync(WorkspaceId, IdentifierMode.EmailOrId, "team", ct);
        var second = await Directory.SearchAsync(WorkspaceId, IdentifierMode.EmailOrId, "team", ct, after: first.Next);
        var back = await Directory.SearchAsync(WorkspaceId, IdentifierMode.EmailOrId, "team", ct, before: second.Previous);

        first.Matches.Count.ShouldBe(PeopleDirectory.SearchLimit);
        first.Previous.ShouldBeNull();
        first.Matches.Concat(second.Matches).Select(m => m.Email).ShouldBe(expected, "people matching by both are listed once, with the emails");
        second.Next.ShouldBeNull();
        back.Matches.Select(m => m.CioId).ShouldBe(first.Matches.Select(m => m.CioId));
        back.Previous.ShouldBeNull();
        back.Next.ShouldBe(first.Next);
    }

    [Fact]
    public async Task PrefixSearchesCompareColumnsDirectlySoThatSqliteUsesTheirIndexes()
    {
        await using var db = await Factory.CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        var people = db.People.Where(p => p.WorkspaceId == WorkspaceId);

        var email = PeopleDirectory.EmailPrefix(people, "ann").ToQueryString();
        var id = PeopleDirectory.IdPrefix(people, "u-").ToQueryString();

        foreach (var sql in new[] { email, id })
        {
            sql.ShouldNotContain("CASE");
            sql.ShouldNotContain("LIKE");
        }

        email.ShouldContain("\"EmailNormalized\" >= ");
        id.ShouldContain("\"ExternalId\" < ");
    }

    [Fact]
    public async Task AnotherWorkspacesPeopleAreNeverListedOrFound()
    {
        await IdentifyAsync("mine@example.test");
        var other = await AddWorkspaceAsync("Other");

        (await Directory.PageAsync(other, null, null, Xunit.TestContext.Current.CancellationToken)).Rows.ShouldBeEmpty();
        (await Directory.SearchAsync(other, IdentifierMode.EmailOrId, "mine@example.test", Xunit.TestContext.Current.CancellationToken)).ExactCioId.ShouldBeNull();
    }
}
