using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.AppApi;
using PeopleAdmin.Web.Features.Imports;
using PeopleAdmin.Web.Features.LeadAds;
using PeopleAdmin.Web.Features.Objects;
using PeopleAdmin.Web.Features.Syncs;
using PeopleAdmin.Web.Features.Merges;
using PeopleAdmin.Web.Features.TrackApi;

namespace PeopleAdmin.Web.Features.ManagementApi;

/// <summary>
/// PeopleAdmin's own management API (<c>/api/admin/v1</c>) for automation: workspaces, their settings and credentials,
/// and personal tokens, with a personal token or the bootstrap token (<see cref="ManagementTokenHandler"/>). Any role
/// reads; changes need an Admin or the Owner. Every change is recorded in the audit trail under the token's operator.
/// </summary>
internal static class ManagementApi
{
    public sealed record WorkspaceBody(int Id, string Name, string SiteId, SettingsBody Settings);

    public sealed record CreatedWorkspaceBody(int Id, string Name, string SiteId, string TrackApiKey, string AppApiKey, SettingsBody Settings);

    public sealed record CredentialsBody(string SiteId, string TrackApiKey, string AppApiKey);

    public sealed record CreateWorkspaceRequest(string Name, SettingsBody? Settings);

    public sealed record RenameWorkspaceRequest(string Name);

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin/v1").RequireAuthorization(Operators.Policies.ManagementRead)
            .WithApiErrors(ErrorShape.App, StatusCodes.Status403Forbidden).WithTags("Management API");
        admin.MapPost("/workspaces", CreateWorkspaceAsync).WithName("AdminCreateWorkspace").AcceptsJson<CreateWorkspaceRequest>().RequireChange();
        admin.MapGet("/workspaces", ListWorkspacesAsync).WithName("AdminListWorkspaces");
        admin.MapPatch("/workspaces/{id:int}", RenameWorkspaceAsync).WithName("AdminRenameWorkspace").AcceptsJson<RenameWorkspaceRequest>().RequireChange();
        admin.MapDelete("/workspaces/{id:int}", DeleteWorkspaceAsync).WithName("AdminDeleteWorkspace").RequireChange();
        admin.MapGet("/workspaces/{id:int}/settings", GetSettingsAsync).WithName("AdminGetSettings");
        admin.MapPut("/workspaces/{id:int}/settings", UpdateSettingsAsync).WithName("AdminUpdateSettings").AcceptsJson<SettingsBody>().RequireChange();
        admin.MapPost("/workspaces/{id:int}/credentials/rotate", RotateCredentialsAsync).WithName("AdminRotateCredentials").RequireChange();
        admin.MapTokensApi();
        admin.MapLeadAdsApi();
        admin.MapImportsApi();
        admin.MapObjectTypesApi();
        admin.MapSyncsApi();
        admin.MapMergesApi();
        return endpoints;
    }

    /// <summary>Changes need an Admin's or the Owner's token; the group already lets any role read.</summary>
    private static RouteHandlerBuilder RequireChange(this RouteHandlerBuilder endpoint) =>
        endpoint.RequireAuthorization(Operators.Policies.ManagementChange);

    /// <summary>Who the audit trail and the settings history name: the token's operator, or the bootstrap token.</summary>
    internal static string ActorOf(HttpContext http) => http.User.Identity?.Name ?? "management API";

    internal static Task RecordAsync(HttpContext http, string action, string detail) =>
        http.RequestServices.GetRequiredService<AuditTrail>()
            .RecordAsync(action, ActorOf(http), detail, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);

    internal static async Task<Results<Created<CreatedWorkspaceBody>, JsonHttpResult<AppErrorBody>>> CreateWorkspaceAsync(
        HttpContext http, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken);
        using (document)
        {
            if (problem is not null)
            {
                return AppApi.AppApi.Error(problem);
            }

            var body = document!.RootElement;
            string? name = null;
            if ((TrackInput.RequireObject(body, "body") ?? TrackInput.ReadString(body, "name", required: true, out name)) is { } nameProblem)
            {
                return AppApi.AppApi.Error(nameProblem);
            }

            WorkspaceSettings? settings = null;
            if (body.TryGetProperty("settings", out var settingsElement) && settingsElement.ValueKind != JsonValueKind.Null)
            {
                if (SettingsWire.ReadPatch(settingsElement, "settings.", out var patch) is { } settingsProblem)
                {
                    return AppApi.AppApi.Error(settingsProblem);
                }

                settings = SettingsWire.Apply(patch);
            }

            var result = await workspaces.CreateAsync(name, settings, cancellationToken);
            if (result.Error is { } error)
            {
                return AppApi.AppApi.Error(TrackResults.Problem(error));
            }

            var (workspace, keys) = result.Value!;
            await RecordAsync(http, AuditActions.WorkspaceCreated, $"{workspace.Name} (site id {workspace.SiteId}), through the management API");
            return TypedResults.Created(
                $"/api/admin/v1/workspaces/{workspace.Id}",
                new CreatedWorkspaceBody(workspace.Id, workspace.Name, workspace.SiteId, keys.TrackApiKey, keys.AppApiKey, SettingsBody.From(workspace.Settings)));
        }
    }

    internal static async Task<Ok<List<WorkspaceBody>>> ListWorkspacesAsync(WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        var all = await workspaces.ListAsync(cancellationToken);
        return TypedResults.Ok(all.Select(ToBody).ToList());
    }

    internal static async Task<Results<Ok<WorkspaceBody>, JsonHttpResult<AppErrorBody>>> RenameWorkspaceAsync(
        HttpContext http, int id, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken);
        using (document)
        {
            if (problem is not null)
            {
                return AppApi.AppApi.Error(problem);
            }

            var body = document!.RootElement;
            string? name = null;
            if ((TrackInput.RequireObject(body, "body") ?? TrackInput.ReadString(body, "name", required: true, out name)) is { } nameProblem)
            {
                return AppApi.AppApi.Error(nameProblem);
            }

            var result = await workspaces.RenameAsync(id, name, cancellationToken);
            if (result.Error is { } error)
            {
                return AppApi.AppApi.Error(TrackResults.Problem(error));
            }

            await RecordAsync(http, AuditActions.WorkspaceRenamed, $"workspace {id} to {result.Value!.Name}, through the management API");
            return TypedResults.Ok(ToBody(result.Value));
        }
    }

    internal static async Task<Results<NoContent, JsonHttpResult<AppErrorBody>>> DeleteWorkspaceAsync(
        HttpContext http, int id, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        var result = await workspaces.DeleteAsync(id, cancellationToken);
        if (result.Error is { } error)
        {
            return AppApi.AppApi.Error(TrackResults.Problem(error));
        }

        await RecordAsync(http, AuditActions.WorkspaceDeleted, $"{result.Value!.Name} (workspace {id}), through the management API");
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<SettingsBody>, JsonHttpResult<AppErrorBody>>> GetSettingsAsync(
        int id, PeopleService people, CancellationToken cancellationToken)
    {
        var settings = await people.GetSettingsAsync(id, cancellationToken);
        return settings is null ? NoWorkspace(id) : TypedResults.Ok(SettingsBody.From(settings));
    }

    /// <summary>
    /// A partial update through the identity service's guard: a change that the data cannot satisfy answers 409 with
    /// every conflict, and nothing changes.
    /// </summary>
    internal static async Task<Results<Ok<SettingsBody>, JsonHttpResult<AppErrorBody>>> UpdateSettingsAsync(
        HttpContext http, int id, PeopleService people, WorkspaceDirectory directory, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken);
        using (document)
        {
            if (problem is not null)
            {
                return AppApi.AppApi.Error(problem);
            }

            if (SettingsWire.ReadPatch(document!.RootElement, "", out var patch) is { } patchProblem)
            {
                return AppApi.AppApi.Error(patchProblem);
            }

            if (await people.GetSettingsAsync(id, cancellationToken) is null)
            {
                return NoWorkspace(id);
            }

            var result = await people.ExecuteAsync(new OperationContext(id, Sources.Api, ActorOf(http)), new ChangeSettingsOperation(patch), cancellationToken);
            await directory.InvalidateAsync(id, cancellationToken);
            if (result.Status == OperationStatus.Rejected)
            {
                var error = result.Error!;
                var mapped = TrackResults.Problem(error);
                var body = new AppErrorBody(new AppErrorMeta(mapped.Message), [new V2Error(null, mapped.Reason, mapped.Field, mapped.Message)])
                {
                    Conflicts = error.Conflicts.Count == 0 ? null : [.. error.Conflicts.Select(c => new ConflictBody(c.CioId, c.Identifier, c.Value, c.Reason))],
                };
                return TypedResults.Json(body, statusCode: mapped.Status);
            }

            await RecordAsync(http, AuditActions.SettingsChanged, $"workspace {id}: {patch.Describe()}, through the management API");
            var settings = await people.GetSettingsAsync(id, cancellationToken);
            return settings is null ? NoWorkspace(id) : TypedResults.Ok(SettingsBody.From(settings));
        }
    }

    internal static async Task<Results<Ok<CredentialsBody>, JsonHttpResult<AppErrorBody>>> RotateCredentialsAsync(
        HttpContext http, int id, WorkspaceService workspaces, CancellationToken cancellationToken)
    {
        var result = await workspaces.RotateCredentialsAsync(id, cancellationToken);
        if (result.Error is { } error)
        {
            return AppApi.AppApi.Error(TrackResults.Problem(error));
        }

        var keys = result.Value!;
        await RecordAsync(http, AuditActions.CredentialsRotated, $"workspace {id} (site id {keys.SiteId}), through the management API");
        return TypedResults.Ok(new CredentialsBody(keys.SiteId, keys.TrackApiKey, keys.AppApiKey));
    }

    internal static JsonHttpResult<AppErrorBody> NoWorkspace(int id) =>
        AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "id", $"There is no workspace {id}."));

    private static WorkspaceBody ToBody(WorkspaceSummary workspace) =>
        new(workspace.Id, workspace.Name, workspace.SiteId, SettingsBody.From(workspace.Settings));
}
