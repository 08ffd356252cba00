using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.AppApi;
using PeopleAdmin.Web.Features.TrackApi;

namespace PeopleAdmin.Web.Features.Objects;

/// <summary><c>/api/admin/v1/workspaces/{id}/object-types</c>: a workspace's object types, created and renamed through the identity service.</summary>
internal static class ObjectTypesApi
{
    public sealed record ObjectTypeRequest(string Name);

    public sealed record ObjectTypeBody(string ObjectTypeId, string Name);

    public static RouteGroupBuilder MapObjectTypesApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/workspaces/{id:int}/object-types", ListAsync).WithName("AdminListObjectTypes");
        admin.MapPost("/workspaces/{id:int}/object-types", CreateAsync).WithName("AdminCreateObjectType").AcceptsJson<ObjectTypeRequest>()
            .RequireAuthorization(Operators.Policies.ManagementChange);
        admin.MapPatch("/workspaces/{id:int}/object-types/{type_id:int}", RenameAsync).WithName("AdminRenameObjectType").AcceptsJson<ObjectTypeRequest>()
            .RequireAuthorization(Operators.Policies.ManagementChange);
        return admin;
    }

    internal static async Task<Results<Ok<List<ObjectTypeBody>>, JsonHttpResult<AppErrorBody>>> ListAsync(
        int id, WorkspaceDirectory directory, ObjectDirectory objects, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is null)
        {
            return ManagementApi.ManagementApi.NoWorkspace(id);
        }

        var types = await objects.ListTypesAsync(id, ct);
        return TypedResults.Ok(types.Select(t => new ObjectTypeBody(Text(t.ObjectTypeId), t.Name)).ToList());
    }

    internal static async Task<Results<Created<ObjectTypeBody>, JsonHttpResult<AppErrorBody>>> CreateAsync(
        HttpContext http, int id, WorkspaceDirectory directory, PeopleService people, CancellationToken ct)
    {
        var (name, problem) = await ReadNameAsync(http, id, directory, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await people.ExecuteAsync(Context(http, id), new CreateObjectTypeOperation(name!), ct);
        if (result.Error is { } error)
        {
            return AppApi.AppApi.Error(TrackResults.Problem(error));
        }

        var typeId = Text(result.RecordId!.Value);
        await ManagementApi.ManagementApi.RecordAsync(http, AuditActions.ObjectTypeCreated, $"workspace {id}: object type {typeId} \"{name!.Trim()}\", through the management API");
        return TypedResults.Created($"/api/admin/v1/workspaces/{id}/object-types/{typeId}", new ObjectTypeBody(typeId, name.Trim()));
    }

    internal static async Task<Results<Ok<ObjectTypeBody>, JsonHttpResult<AppErrorBody>>> RenameAsync(
        HttpContext http, int id, int type_id, WorkspaceDirectory directory, PeopleService people, CancellationToken ct)
    {
        var (name, problem) = await ReadNameAsync(http, id, directory, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await people.ExecuteAsync(Context(http, id), new RenameObjectTypeOperation(type_id, name!), ct);
        if (result.Error is { } error)
        {
            return AppApi.AppApi.Error(TrackResults.Problem(error));
        }

        await ManagementApi.ManagementApi.RecordAsync(http, AuditActions.ObjectTypeRenamed, $"workspace {id}: object type {type_id} to \"{name!.Trim()}\", through the management API");
        return TypedResults.Ok(new ObjectTypeBody(Text(type_id), name.Trim()));
    }

    /// <summary>The body's <c>name</c> of a workspace that exists, or the error to answer.</summary>
    private static async Task<(string? Name, JsonHttpResult<AppErrorBody>? Problem)> ReadNameAsync(HttpContext http, int id, WorkspaceDirectory directory, CancellationToken ct)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, ct);
        using (document)
        {
            if (problem is not null)
            {
                return (null, AppApi.AppApi.Error(problem));
            }

            if (await directory.FindAsync(id, ct) is null)
            {
                return (null, ManagementApi.ManagementApi.NoWorkspace(id));
            }

            var body = document!.RootElement;
            string? name = null;
            var nameProblem = TrackInput.RequireObject(body, "body") ?? TrackInput.ReadString(body, "name", required: true, out name);
            return nameProblem is null ? (name, null) : (null, AppApi.AppApi.Error(nameProblem));
        }
    }

    private static OperationContext Context(HttpContext http, int workspaceId) => new(workspaceId, Sources.Api, ManagementApi.ManagementApi.ActorOf(http));

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
