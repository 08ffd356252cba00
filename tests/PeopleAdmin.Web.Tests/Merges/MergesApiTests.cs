using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Merges;

/// <summary>The management API lists merges and undoes them, with the identity service's refusals as 409s in words.</summary>
[BothStores]
public sealed class MergesApiTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;
    private HttpClient _admin = null!;
    private int _workspaceId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PeopleService People => _factory.Services.GetRequiredService<PeopleService>();

    public async ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        _admin = _factory.AdminClient();
        _workspaceId = (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct))[0].Id;
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task AMergeIsListedForEitherPersonAndUndoneOnceThenRefusedWithTheReason()
    {
        // Arrange
        var (primary, secondary, mergeId) = await MergeAsync();

        // Act
        using var listed = await _admin.GetAsync($"/api/admin/v1/workspaces/{_workspaceId}/merges?person=cio_{secondary}", Ct);
        var listedBody = await listed.ReadJsonAsync();
        using var undone = await _admin.PostAsync($"/api/admin/v1/workspaces/{_workspaceId}/merges/{mergeId}/undo", null, Ct);
        var undoneBody = await undone.ReadJsonAsync();
        using var again = await _admin.PostAsync($"/api/admin/v1/workspaces/{_workspaceId}/merges/{mergeId}/undo", null, Ct);
        using var after = await _admin.GetAsync($"/api/admin/v1/workspaces/{_workspaceId}/merges?person={primary}", Ct);

        // Assert
        listed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var merge = listedBody.EnumerateArray().Single();
        merge.GetProperty("merge_id").GetInt64().ShouldBe(mergeId);
        merge.GetProperty("primary_cio_id").GetString().ShouldBe(primary);
        merge.GetProperty("secondary_cio_id").GetString().ShouldBe(secondary);
        merge.GetProperty("source").GetString().ShouldBe(Sources.Api);
        merge.GetProperty("undone_at").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        undone.StatusCode.ShouldBe(HttpStatusCode.OK);
        undoneBody.GetProperty("merge_id").GetInt64().ShouldBe(mergeId);
        undoneBody.GetProperty("undone_at").GetDateTimeOffset().ShouldBe(merge.GetProperty("merged_at").GetDateTimeOffset(), TimeSpan.FromMinutes(5));
        (await People.GetPersonAsync(_workspaceId, PersonReference.ForCioId(secondary), Ct))!.Email.ShouldBe("second@example.com");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString().ShouldBe($"the merge cannot be undone: merge record {mergeId} was already undone");
        (await after.ReadJsonAsync()).EnumerateArray().Single().GetProperty("undone_at").GetDateTimeOffset().ShouldBe(undoneBody.GetProperty("undone_at").GetDateTimeOffset());
        var audited = await _factory.Services.GetRequiredService<AuditTrail>().SearchAsync(new AuditQuery(Kind: "People"), 0, 10, Ct);
        audited.Entries.Single().Detail.ShouldBe($"workspace {_workspaceId}: merge {mergeId} undone, cio_{secondary} restored, through the management API");
    }

    [Fact]
    public async Task AnUnknownMergeOrWorkspaceAnswers404AndAViewersTokenMayListButNotUndo()
    {
        // Arrange
        var (_, _, mergeId) = await MergeAsync();
        var viewer = await _factory.AddOperatorAsync("viewer@example.test", OperatorRoles.Viewer);
        var token = await _factory.Services.GetRequiredService<PersonalTokens>().CreateAsync(viewer.Id, "tests", DateTime.UtcNow.AddDays(1), Ct);
        using var viewerClient = _factory.CreateClient();
        viewerClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value!.Secret);

        // Act
        using var unknownMerge = await _admin.PostAsync($"/api/admin/v1/workspaces/{_workspaceId}/merges/999/undo", null, Ct);
        using var unknownWorkspace = await _admin.GetAsync("/api/admin/v1/workspaces/999/merges", Ct);
        using var viewerList = await viewerClient.GetAsync($"/api/admin/v1/workspaces/{_workspaceId}/merges", Ct);
        using var viewerUndo = await viewerClient.PostAsync($"/api/admin/v1/workspaces/{_workspaceId}/merges/{mergeId}/undo", null, Ct);

        // Assert
        unknownMerge.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknownMerge.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString().ShouldBe("merge record 999 does not exist in this workspace");
        unknownWorkspace.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        viewerList.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await viewerList.ReadJsonAsync()).GetArrayLength().ShouldBe(1);
        viewerUndo.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await People.ListMergesAsync(_workspaceId, null, Ct)).Single().Undone.ShouldBeNull();
    }

    [Fact]
    public async Task APersonFilterWithANulCharacterIsRefusedWith400NamingTheParameter()
    {
        // Arrange: PostgreSQL cannot hold a NUL in text, so the filter must be refused before it reaches the store
        await MergeAsync();

        // Act
        using var response = await _admin.GetAsync($"/api/admin/v1/workspaces/{_workspaceId}/merges?person=cio_x%00y", Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString()!.ShouldContain("person holds text that is not valid Unicode");
    }

    private async Task<(string Primary, string Secondary, long MergeId)> MergeAsync()
    {
        var context = new OperationContext(_workspaceId, Sources.Api);
        var first = await People.ExecuteAsync(context, new IdentifyOperation(PersonReference.ForId("first"), new Dictionary<string, AttributeValue>()), Ct);
        var second = await People.ExecuteAsync(context, new IdentifyOperation(PersonReference.ForEmail("second@example.com"), new Dictionary<string, AttributeValue>()), Ct);
        var merged = await People.ExecuteAsync(context, new MergeOperation(PersonReference.ForCioId(first.CioId!), PersonReference.ForCioId(second.CioId!)), Ct);
        return (first.CioId!, second.CioId!, merged.RecordId!.Value);
    }
}
