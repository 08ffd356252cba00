using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.LeadAds;

/// <summary>What the Lead ads page reads and changes, with the role check on the server side of every change.</summary>
internal sealed class LeadAdsConsole(LeadAdsService leadAds, LeadProcessor processor, OperatorAccess access, PublicAddress address)
{
    public const int PageSize = 50;

    public Task<bool> CanManageAsync() => access.AllowsAsync(Policies.CanManageSettings);

    public Task<bool> CanRetryAsync() => access.AllowsAsync(Policies.CanEditPeople);

    public string WebhookUrl(string siteId) => LeadAdsApi.WebhookUrl(address, siteId);

    public Task<LeadAdConnectionSummary?> GetAsync(int workspaceId, CancellationToken ct) => leadAds.GetAsync(workspaceId, ct);

    public Task<(IReadOnlyList<LeadRow> Rows, int Total)> LeadsAsync(int workspaceId, int page, CancellationToken ct) =>
        leadAds.ListAsync(workspaceId, Math.Max(0, page - 1) * PageSize, PageSize, ct);

    /// <summary>
    /// Saves the secrets and Pages; the mappings set through the management API are kept. Pages are lines of
    /// <c>page id</c> and <c>access token</c>, separated by spaces or a comma.
    /// </summary>
    public async Task<RequestError?> SaveAsync(int workspaceId, string appSecret, string verifyToken, string graphVersion, string pages, CancellationToken ct)
    {
        if (!await CanManageAsync())
        {
            return new RequestError(ErrorKind.Invalid, "lead_ads", "Only Admins and the Owner can change the Lead Ads connection.");
        }

        var parsed = new List<LeadAdPageInput>();
        foreach (var (line, index) in pages.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((l, i) => (l, i)))
        {
            var parts = line.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                return new RequestError(ErrorKind.Invalid, "pages", $"line {index + 1} of Pages must be a Page id and its access token, separated by a space");
            }

            parsed.Add(new LeadAdPageInput(parts[0], parts[1]));
        }

        var existing = await leadAds.GetAsync(workspaceId, ct);
        var input = new LeadAdConnectionInput(appSecret, verifyToken, graphVersion.Trim(), parsed, existing?.MappingJson, existing?.FormMappingsJson);
        if (await leadAds.SaveAsync(workspaceId, input, ct) is { } error)
        {
            return error;
        }

        await access.RecordAsync(AuditActions.LeadAdsConnected, $"workspace {workspaceId}: Pages {string.Join(", ", parsed.Select(p => p.PageId))}", ct);
        return null;
    }

    /// <summary>Puts a failed lead back in line and reads it now.</summary>
    public async Task<RequestError?> RetryAsync(int workspaceId, long id, CancellationToken ct)
    {
        if (!await CanRetryAsync())
        {
            return new RequestError(ErrorKind.Invalid, "lead", "Only Editors, Admins and the Owner can retry leads.");
        }

        if (!await leadAds.RetryAsync(workspaceId, id, ct))
        {
            return new RequestError(ErrorKind.NotFound, "lead", "the lead is no longer failed: it may have been retried already");
        }

        processor.Wake();
        return null;
    }
}
