using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.LeadAds;

/// <summary>What the management API and the page set: secrets in the clear, on their way to being encrypted.</summary>
public sealed record LeadAdConnectionInput(
    string AppSecret, string VerifyToken, string GraphVersion, IReadOnlyList<LeadAdPageInput> Pages, string? MappingJson, string? FormMappingsJson);

public sealed record LeadAdPageInput(string PageId, string AccessToken);

/// <summary>A connection as it may be shown: no secrets.</summary>
public sealed record LeadAdConnectionSummary(string GraphVersion, IReadOnlyList<string> PageIds, string? MappingJson, string? FormMappingsJson, DateTimeOffset Updated);

/// <summary>What the webhook needs of a workspace's connection, secrets decrypted.</summary>
public sealed record LeadAdWebhookSecrets(int WorkspaceId, string AppSecret, string VerifyToken);

/// <summary>A <c>leadgen</c> change of a notification.</summary>
public sealed record LeadNotification(string LeadgenId, string PageId, string? FormId, string? AdId);

/// <summary>A received lead with everything needed to fetch it: the Page token decrypted, the form's mapping.</summary>
public sealed record DueLead(long Id, int WorkspaceId, string LeadgenId, string? FormId, string? AdId, int Attempts, string GraphVersion, string? AccessToken, IReadOnlyList<FormField> Mapping);

public sealed record LeadRow(long Id, string LeadgenId, string PageId, string? FormId, string? AdId, LeadState State, int Attempts, string? Error, DateTimeOffset Received, DateTimeOffset? Applied, string? CioId);

/// <summary>
/// Lead ads' connections and received leads, a context per operation. Secrets are encrypted with Data Protection (the
/// key ring lives in the data folder) and decrypted only to check a webhook's signature or to read a lead.
/// </summary>
public sealed class LeadAdsService(IDbContextFactory<PeopleAdminDbContext> factory, IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string DefaultGraphVersion = "v25.0";

    public const int MaxPages = 100;

    private readonly IDataProtector _protector = dataProtection.CreateProtector("PeopleAdmin.LeadAds.v1");

    /// <summary>Replaces the workspace's connection whole (secrets, Pages, mappings); refused whole when anything is wrong.</summary>
    public async Task<RequestError?> SaveAsync(int workspaceId, LeadAdConnectionInput input, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, ct);
        if (workspace is null)
        {
            return new RequestError(ErrorKind.NotFound, "id", $"there is no workspace {workspaceId}");
        }

        if (Validate(input, workspace.Settings.Identifiers) is { } invalid)
        {
            return invalid;
        }

        var connection = await db.LeadAdConnections.Include(c => c.Pages).FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId, ct);
        if (connection is null)
        {
            connection = new LeadAdConnection { WorkspaceId = workspaceId, ProtectedAppSecret = "", ProtectedVerifyToken = "", GraphVersion = "" };
            db.LeadAdConnections.Add(connection);
        }

        connection.ProtectedAppSecret = _protector.Protect(input.AppSecret);
        connection.ProtectedVerifyToken = _protector.Protect(input.VerifyToken);
        connection.GraphVersion = input.GraphVersion;
        connection.MappingJson = input.MappingJson;
        connection.FormMappingsJson = input.FormMappingsJson;
        connection.UpdatedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        db.LeadAdPages.RemoveRange(connection.Pages);
        connection.Pages = [.. input.Pages.Select(p => new LeadAdPage { WorkspaceId = workspaceId, PageId = p.PageId, ProtectedAccessToken = _protector.Protect(p.AccessToken) })];
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Secrets present and of a sane length, a version such as <c>v25.0</c>, distinct Pages, valid mappings.</summary>
    public static RequestError? Validate(LeadAdConnectionInput input, IdentifierMode mode)
    {
        if ((Secret(input.AppSecret, "app_secret", 256) ?? Secret(input.VerifyToken, "verify_token", 256)) is { } secret)
        {
            return secret;
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(input.GraphVersion, @"^v[0-9]{1,3}\.[0-9]{1,2}$"))
        {
            return Invalid("graph_version", $"graph_version must be a Graph API version such as {DefaultGraphVersion}; \"{input.GraphVersion}\" is not");
        }

        if (input.Pages.Count is 0 or > MaxPages)
        {
            return Invalid("pages", $"a connection needs 1 to {MaxPages} Pages, each with its page_id and Page access_token; it has {input.Pages.Count}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < input.Pages.Count; i++)
        {
            var page = input.Pages[i];
            if (string.IsNullOrWhiteSpace(page.PageId) || page.PageId.Length > 64 || !page.PageId.All(char.IsAsciiDigit))
            {
                return Invalid($"pages[{i}].page_id", $"pages[{i}].page_id must be a Facebook Page id: digits, such as 109876543210987; \"{page.PageId}\" is not");
            }

            if (!seen.Add(page.PageId))
            {
                return Invalid($"pages[{i}].page_id", $"Page {page.PageId} is listed twice");
            }

            if (Secret(page.AccessToken, $"pages[{i}].access_token", 1024) is { } token)
            {
                return token;
            }
        }

        if (input.MappingJson is { } mapping)
        {
            using var document = JsonDocument.Parse(mapping);
            if (LeadAdMapping.Read(document.RootElement, "mapping", mode, out _) is { } invalid)
            {
                return invalid;
            }
        }

        if (input.FormMappingsJson is { } formMappings)
        {
            using var document = JsonDocument.Parse(formMappings);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Invalid("form_mappings", "form_mappings must be an object of lead form ids, each with a mapping");
            }

            foreach (var form in document.RootElement.EnumerateObject())
            {
                if (LeadAdMapping.Read(form.Value, $"form_mappings.{form.Name}", mode, out _) is { } invalid)
                {
                    return invalid;
                }
            }
        }

        return null;
    }

    private static RequestError? Secret(string? value, string field, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? Invalid(field, $"{field} is required")
        : value.Length > maxLength ? Invalid(field, $"{field} has {value.Length} characters; the limit is {maxLength}")
        : null;

    private static RequestError Invalid(string field, string message) => new(ErrorKind.Invalid, field, message);

    public async Task<LeadAdConnectionSummary?> GetAsync(int workspaceId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var connection = await db.LeadAdConnections.AsNoTracking().Include(c => c.Pages).FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId, ct);
        return connection is null ? null : new LeadAdConnectionSummary(
            connection.GraphVersion,
            [.. connection.Pages.OrderBy(p => p.Id).Select(p => p.PageId)],
            connection.MappingJson,
            connection.FormMappingsJson,
            DateTimeOffset.FromUnixTimeMilliseconds(connection.UpdatedMs));
    }

    public async Task<LeadAdWebhookSecrets?> FindSecretsAsync(int workspaceId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var connection = await db.LeadAdConnections.AsNoTracking().FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId, ct);
        return connection is null ? null
            : new LeadAdWebhookSecrets(workspaceId, _protector.Unprotect(connection.ProtectedAppSecret), _protector.Unprotect(connection.ProtectedVerifyToken));
    }

    /// <summary>Keeps each lead not seen before as waiting; a lead id already received is left as it is. Answers how many were new.</summary>
    public async Task<int> ReceiveAsync(int workspaceId, IReadOnlyList<LeadNotification> leads, CancellationToken ct)
    {
        var added = 0;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var lead in leads.DistinctBy(l => l.LeadgenId))
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            db.ReceivedLeads.Add(new ReceivedLead
            {
                WorkspaceId = workspaceId, LeadgenId = lead.LeadgenId, PageId = lead.PageId, FormId = lead.FormId, AdId = lead.AdId,
                State = LeadState.Waiting, NextAttemptMs = now, ReceivedMs = now,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                added++;
            }
            catch (DbUpdateException)
            {
                // Meta's retry of a lead already received: the unique index turned it away. Anything else is a real failure.
                if (!await ExistsAsync(workspaceId, lead.LeadgenId, ct))
                {
                    throw;
                }
            }
        }

        return added;
    }

    private async Task<bool> ExistsAsync(int workspaceId, string leadgenId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ReceivedLeads.AnyAsync(l => l.WorkspaceId == workspaceId && l.LeadgenId == leadgenId, ct);
    }

    /// <summary>Waiting leads whose next attempt is due, oldest first, with what reading them needs.</summary>
    public async Task<IReadOnlyList<DueLead>> DueAsync(int take, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await factory.CreateDbContextAsync(ct);
        var leads = await db.ReceivedLeads.AsNoTracking()
            .Where(l => l.State == LeadState.Waiting && l.NextAttemptMs <= now)
            .OrderBy(l => l.NextAttemptMs).ThenBy(l => l.Id)
            .Take(take)
            .ToListAsync(ct);
        var workspaces = leads.Select(l => l.WorkspaceId).Distinct().ToList();
        var connections = await db.LeadAdConnections.AsNoTracking().Include(c => c.Pages)
            .Where(c => workspaces.Contains(c.WorkspaceId)).ToDictionaryAsync(c => c.WorkspaceId, ct);
        return [.. leads.Select(lead =>
        {
            var connection = connections.GetValueOrDefault(lead.WorkspaceId);
            var page = connection?.Pages.FirstOrDefault(p => p.PageId == lead.PageId);
            return new DueLead(
                lead.Id, lead.WorkspaceId, lead.LeadgenId, lead.FormId, lead.AdId, lead.Attempts,
                connection?.GraphVersion ?? DefaultGraphVersion,
                page is null ? null : _protector.Unprotect(page.ProtectedAccessToken),
                connection is null ? [] : MappingOf(connection, lead.FormId));
        })];
    }

    private static List<FormField> MappingOf(LeadAdConnection connection, string? formId)
    {
        if (formId is not null && connection.FormMappingsJson is { } json)
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty(formId, out var own))
            {
                return LeadAdMapping.Parse(own.GetRawText());
            }
        }

        return LeadAdMapping.Parse(connection.MappingJson);
    }

    public Task MarkAppliedAsync(long id, string? formId, string? adId, string? cioId, CancellationToken ct) =>
        UpdateAsync(id, lead =>
        {
            lead.State = LeadState.Applied;
            lead.Attempts++;
            lead.FormId ??= formId;
            lead.AdId ??= adId;
            lead.CioId = cioId;
            lead.Error = null;
            lead.AppliedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        }, ct);

    /// <summary>Counts a failed attempt: waits until <paramref name="retryAt"/>, or gives up when it is null.</summary>
    public Task MarkFailedAttemptAsync(long id, string error, DateTimeOffset? retryAt, CancellationToken ct) =>
        UpdateAsync(id, lead =>
        {
            lead.Attempts++;
            lead.Error = error.Length > 1000 ? error[..1000] : error;
            lead.State = retryAt is null ? LeadState.Failed : LeadState.Waiting;
            lead.NextAttemptMs = retryAt?.ToUnixTimeMilliseconds() ?? lead.NextAttemptMs;
        }, ct);

    /// <summary>Puts a failed lead back in line, with its attempts counted afresh; false when there is no such failed lead.</summary>
    public async Task<bool> RetryAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var changed = await db.ReceivedLeads
            .Where(l => l.WorkspaceId == workspaceId && l.Id == id && l.State == LeadState.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.State, LeadState.Waiting).SetProperty(l => l.Attempts, 0).SetProperty(l => l.NextAttemptMs, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        return changed == 1;
    }

    /// <summary>The newest leads first, one page of them, and how many there are.</summary>
    public async Task<(IReadOnlyList<LeadRow> Rows, int Total)> ListAsync(int workspaceId, int skip, int take, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.ReceivedLeads.AsNoTracking().Where(l => l.WorkspaceId == workspaceId);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(l => l.Id).Skip(skip).Take(take).ToListAsync(ct);
        return ([.. rows.Select(l => new LeadRow(
            l.Id, l.LeadgenId, l.PageId, l.FormId, l.AdId, l.State, l.Attempts, l.Error,
            DateTimeOffset.FromUnixTimeMilliseconds(l.ReceivedMs),
            l.AppliedMs is { } applied ? DateTimeOffset.FromUnixTimeMilliseconds(applied) : null,
            l.CioId))], total);
    }

    private async Task UpdateAsync(long id, Action<ReceivedLead> change, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var lead = await db.ReceivedLeads.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lead is not null)
        {
            change(lead);
            await db.SaveChangesAsync(ct);
        }
    }
}
