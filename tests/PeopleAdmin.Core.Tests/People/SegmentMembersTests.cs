using PeopleAdmin.Core.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>The Segments page's reads: one segment, and its members a page at a time with a search.</summary>
[BothStores]
public sealed class SegmentMembersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<int> SegmentWithAsync(PeopleHarness harness, params string[] members)
    {
        foreach (var member in members)
        {
            await harness.IdentifyAsync(member, "{}", Ct);
        }

        var id = (int)(await harness.RunAsync(new CreateSegmentOperation("Fair leads", "met at the fair"), Ct)).RecordId!;
        await harness.RunAsync(new AddToSegmentOperation(id, [.. members.Select(harness.Reference)]), Ct);
        return id;
    }

    private static async Task<List<string?>> SearchAsync(PeopleHarness harness, int segment, string? search) =>
        [.. (await harness.Service.ListSegmentMembersAsync(new SegmentMembersQuery(harness.WorkspaceId, segment, search, 0, 50), Ct)).Members.Select(m => m.Email ?? m.Id)];

    [Fact]
    public async Task ASegmentIsReadWithItsMemberCountAndAnotherWorkspacesIdIsNobodys()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var id = await SegmentWithAsync(harness, "ana@example.com", "bob@example.com");

        var segment = await harness.Service.GetSegmentAsync(harness.WorkspaceId, id, Ct);
        var elsewhere = await harness.Service.GetSegmentAsync(harness.WorkspaceId + 1, id, Ct);

        segment.ShouldBe(new SegmentSummary(id, "Fair leads", "met at the fair", segment!.Created, 2));
        elsewhere.ShouldBeNull();
    }

    [Fact]
    public async Task MembersArePagedInTheOrderThePeopleWereAddedWithTheTotalBesideEachPage()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var id = await SegmentWithAsync(harness, "p1", "p2", "p3", "p4", "p5");

        var second = await harness.Service.ListSegmentMembersAsync(new SegmentMembersQuery(harness.WorkspaceId, id, null, 2, 2), Ct);

        second.Total.ShouldBe(5);
        second.Members.Select(m => m.Id).ShouldBe(["p3", "p4"]);
    }

    [Theory]
    [InlineData("ANA", "ana@example.com")]
    [InlineData("user-1", "user-10,user-11")]
    [InlineData("nobody", "")]
    [InlineData("  ", "ana@example.com,bob@example.com,user-10,user-11,User-12")]
    public async Task ASearchFindsMembersWhoseEmailOrIdStartsWithTheText(string search, string found)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var id = await SegmentWithAsync(harness, "ana@example.com", "bob@example.com", "user-10", "user-11", "User-12");
        await harness.IdentifyAsync("user-13", "{}", Ct);

        var members = await SearchAsync(harness, id, search);

        string.Join(",", members).ShouldBe(found);
    }

    [Fact]
    public async Task ASearchForACioIdFindsThatMemberInEitherCase()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var id = await SegmentWithAsync(harness, "ana@example.com", "bob@example.com");
        var bob = (await harness.PeopleAsync(Ct)).Single(p => p.Email == "bob@example.com");

        var members = await SearchAsync(harness, id, "CIO_" + bob.CioId.ToUpperInvariant());

        members.ShouldBe(["bob@example.com"]);
    }

    [Fact]
    public async Task TwoReferencesToOnePersonAddAndRemoveThemOnce()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var ana = await harness.IdentifyAsync("ana@example.com", """{"id":"u-1"}""", Ct);
        var id = (int)(await harness.RunAsync(new CreateSegmentOperation("Fair leads", null), Ct)).RecordId!;
        PersonReference[] twice = [PersonReference.ForEmail("ANA@example.com"), PersonReference.ForCioId(ana.CioId!), PersonReference.ForId("u-1")];

        var added = await harness.RunAsync(new AddToSegmentOperation(id, twice), Ct);
        var members = (await harness.Service.GetSegmentAsync(harness.WorkspaceId, id, Ct))!.Members;
        var removed = await harness.RunAsync(new RemoveFromSegmentOperation(id, twice), Ct);

        (added.Status, removed.Status).ShouldBe((OperationStatus.Applied, OperationStatus.Applied));
        members.ShouldBe(1);
        (await harness.ActivityAsync(Ct)).Count(e => e.Type == ActivityTypes.SegmentChange && e.PersonId is not null).ShouldBe(2);
    }
}
