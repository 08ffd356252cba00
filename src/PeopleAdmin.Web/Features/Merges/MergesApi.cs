using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.TrackApi;

namespace PeopleAdmin.Web.Features.Merges;

/// <summary>
/// The management API's merges: the list (a person's, or the workspace's) and undo, which the identity service may
/// refuse (409 with its reason in words). Undo is a change: Admins and the Owner only, recorded in the audit trail.
/// </summary>
internal static class MergesApi
{
    public sealed record MergeBody(long MergeId, string PrimaryCioId, string SecondaryCioId, DateTimeOffset MergedAt, string Source, DateTimeOffset? UndoneAt);

    public sealed record UndoneBody(long MergeId, DateTimeOffset UndoneAt);

    public static RouteGroupBuilder MapMergesApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/workspaces/{id:int}/merges", ListAsync).WithName("AdminListMerges");
        admin.MapPost("/workspaces/{id:int}/merges/{mergeId:long}/undo", UndoAsync).WithName("AdminUndoMerge")
            .RequireAuthorization(Operators.Policies.ManagementChange);
        return admin;
    }

    /// <summary><paramref name="person"/> is a cio_id, with or without its <c>cio_</c> prefix; without it, every merge of the workspace.</summary>
    internal static async Task<Results<Ok<List<MergeBody>>, JsonHttpResult<AppErrorBody>>> ListAsync(
        int id, string? person, PeopleService people, CancellationToken cancellationToken)
    {
        if (await people.GetSettingsAsync(id, cancellationToken) is null)
        {
            return ManagementApi.ManagementApi.NoWorkspace(id);
        }

        if (person is not null && !TextRules.IsWellFormed(person))
        {
            return AppApi.AppApi.Error(TrackResults.Problem(new RequestError(ErrorKind.Invalid, "person", TextRules.MalformedMessage("person"))));
        }

        var merges = await people.ListMergesAsync(id, string.IsNullOrWhiteSpace(person) ? null : person.Trim(), cancellationToken);
        return TypedResults.Ok(merges.Select(m => new MergeBody(m.Id, m.PrimaryCioId, m.SecondaryCioId, m.At, m.Source, m.Undone)).ToList());
    }

    internal static async Task<Results<Ok<UndoneBody>, JsonHttpResult<AppErrorBody>>> UndoAsync(
        HttpContext http, int id, long mergeId, PeopleService people, CancellationToken cancellationToken)
    {
        if (await people.GetSettingsAsync(id, cancellationToken) is null)
        {
            return ManagementApi.ManagementApi.NoWorkspace(id);
        }

        var result = await people.ExecuteAsync(new OperationContext(id, Sources.Api, ManagementApi.ManagementApi.ActorOf(http)), new UndoMergeOperation(mergeId), cancellationToken);
        if (result.Error is { } error)
        {
            return AppApi.AppApi.Error(TrackResults.Problem(error));
        }

        var undone = (await people.ListMergesAsync(id, result.CioId, cancellationToken)).First(m => m.Id == mergeId);
        await ManagementApi.ManagementApi.RecordAsync(http, AuditActions.MergeUndone, $"workspace {id}: merge {mergeId} undone, cio_{result.CioId} restored, through the management API");
        return TypedResults.Ok(new UndoneBody(mergeId, undone.Undone!.Value));
    }
}
