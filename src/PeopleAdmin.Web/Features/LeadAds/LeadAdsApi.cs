using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.AppApi;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.TrackApi;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.LeadAds;

/// <summary><c>/api/admin/v1/workspaces/{id}/lead-ads</c>: a workspace's Facebook Lead Ads connection, set whole and read back without secrets.</summary>
internal static class LeadAdsApi
{
    public sealed record LeadAdsPageRequest(string PageId, string AccessToken);

    public sealed record LeadAdsRequest(
        string AppSecret, string VerifyToken, string? GraphVersion, List<LeadAdsPageRequest> Pages,
        Dictionary<string, string>? Mapping, Dictionary<string, Dictionary<string, string>>? FormMappings);

    public sealed record LeadAdsPageBody(string PageId);

    public sealed record LeadAdsBody(string WebhookUrl, string GraphVersion, List<LeadAdsPageBody> Pages, JsonElement? Mapping, JsonElement? FormMappings);

    public static RouteGroupBuilder MapLeadAdsApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/workspaces/{id:int}/lead-ads", GetAsync).WithName("AdminGetLeadAds");
        admin.MapPut("/workspaces/{id:int}/lead-ads", PutAsync).WithName("AdminPutLeadAds").Accepts<LeadAdsRequest>("application/json")
            .RequireAuthorization(Operators.Policies.ManagementChange);
        return admin;
    }

    internal static async Task<Results<Ok<LeadAdsBody>, JsonHttpResult<AppErrorBody>>> GetAsync(
        int id, WorkspaceDirectory directory, LeadAdsService leadAds, PublicAddress address, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is not { } workspace)
        {
            return ManagementApi.ManagementApi.NoWorkspace(id);
        }

        return await leadAds.GetAsync(id, ct) is { } connection
            ? TypedResults.Ok(ToBody(connection, WebhookUrl(address, workspace.SiteId)))
            : AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "lead_ads", $"Workspace {id} has no Facebook Lead Ads connection: PUT one."));
    }

    internal static async Task<Results<Ok<LeadAdsBody>, JsonHttpResult<AppErrorBody>>> PutAsync(
        HttpContext http, int id, WorkspaceDirectory directory, LeadAdsService leadAds, PublicAddress address, CancellationToken ct)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, ct);
        using (document)
        {
            if (problem is not null)
            {
                return AppApi.AppApi.Error(problem);
            }

            if (await directory.FindAsync(id, ct) is not { } workspace)
            {
                return ManagementApi.ManagementApi.NoWorkspace(id);
            }

            if (Read(document!.RootElement, out var input) is { } invalid)
            {
                return AppApi.AppApi.Error(invalid);
            }

            if (await leadAds.SaveAsync(id, input!, ct) is { } error)
            {
                return AppApi.AppApi.Error(TrackResults.Problem(error));
            }

            await ManagementApi.ManagementApi.RecordAsync(
                http, AuditActions.LeadAdsConnected, $"workspace {id}: Pages {string.Join(", ", input!.Pages.Select(p => p.PageId))}, through the management API");
            return TypedResults.Ok(ToBody((await leadAds.GetAsync(id, ct))!, WebhookUrl(address, workspace.SiteId)));
        }
    }

    /// <summary>The body's shape; the values' own rules are <see cref="LeadAdsService.Validate"/>'s.</summary>
    private static ApiProblem? Read(JsonElement body, out LeadAdConnectionInput? input)
    {
        input = null;
        string? appSecret = null, verifyToken = null, version = null;
        if ((TrackInput.RequireObject(body, "body")
            ?? TrackInput.ReadString(body, "app_secret", required: true, out appSecret)
            ?? TrackInput.ReadString(body, "verify_token", required: true, out verifyToken)
            ?? TrackInput.ReadString(body, "graph_version", required: false, out version)) is { } shape)
        {
            return shape;
        }

        if (TrackInput.RequireProperty(body, "pages", JsonValueKind.Array, "pages is required: a list of {page_id, access_token}.", out var pagesElement) is { } noPages)
        {
            return noPages;
        }

        var pages = new List<LeadAdPageInput>();
        var index = 0;
        foreach (var page in pagesElement.EnumerateArray())
        {
            string? pageId = null, token = null;
            var prefix = $"pages[{index++}].";
            if ((TrackInput.RequireObject(page, prefix.TrimEnd('.'))
                ?? TrackInput.ReadString(page, "page_id", required: true, out pageId, prefix)
                ?? TrackInput.ReadString(page, "access_token", required: true, out token, prefix)) is { } pageProblem)
            {
                return pageProblem;
            }

            pages.Add(new LeadAdPageInput(pageId!, token!));
        }

        input = new LeadAdConnectionInput(
            appSecret!, verifyToken!, version ?? LeadAdsService.DefaultGraphVersion, pages, Raw(body, "mapping"), Raw(body, "form_mappings"));
        return null;
    }

    private static string? Raw(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetRawText() : null;

    internal static string WebhookUrl(PublicAddress address, string siteId) =>
        $"{address.BaseUrl.AbsoluteUri}integrations/facebook/{Uri.EscapeDataString(siteId)}/webhook";

    private static LeadAdsBody ToBody(LeadAdConnectionSummary connection, string webhookUrl) => new(
        webhookUrl,
        connection.GraphVersion,
        [.. connection.PageIds.Select(p => new LeadAdsPageBody(p))],
        Element(connection.MappingJson),
        Element(connection.FormMappingsJson));

    private static JsonElement? Element(string? json) => json is null ? null : JsonSerializer.Deserialize<JsonElement>(json);
}
