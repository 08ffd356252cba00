using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Actions;

public sealed record RuleSummary(long Id, string Name, string? EventName, IReadOnlyList<string> Sources, bool Enabled, bool Webhook, string? LastStatus, DateTimeOffset? LastRun);

public sealed record RuleDetails(long Id, RuleDefinition Definition, string? WebhookToken, DateTimeOffset Created, DateTimeOffset Updated);

public sealed record RuleRunDetails(long Id, DateTimeOffset At, string Trigger, RuleRunStatus Status, string? CioId, string? Reason);

/// <summary>
/// The Rules page's and the management API's reads and edits of rules (a context per operation; rules are not people
/// rows, so they do not go through the single writer). Every change tells the triggers' cache.
/// </summary>
public sealed class RulesService(IDbContextFactory<PeopleAdminDbContext> factory, RuleEngine engine, TimeProvider clock)
{
    public async Task<IReadOnlyList<RuleSummary>> ListAsync(int workspaceId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rules = await db.ActionRules.AsNoTracking().Where(r => r.WorkspaceId == workspaceId)
            .OrderBy(r => r.Name).ThenBy(r => r.Id)
            .Select(r => new
            {
                r.Id, r.Name, r.EventName, r.Sources, r.Enabled, Webhook = r.WebhookToken != null,
                Last = db.ActionRuleRuns.Where(run => run.RuleId == r.Id).OrderByDescending(run => run.Id).Select(run => new { run.Status, run.AtMs }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return [.. rules.Select(r => new RuleSummary(r.Id, r.Name, r.EventName, r.Sources, r.Enabled, r.Webhook, r.Last?.Status.ToString(), r.Last is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.Last.AtMs)))];
    }

    public async Task<RuleDetails?> GetAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rule = await db.ActionRules.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Id == id, ct);
        return rule is null ? null : Details(rule);
    }

    /// <summary>The newest runs first, at most <see cref="RuleRunHistory.Kept"/>.</summary>
    public async Task<IReadOnlyList<RuleRunDetails>> RunsAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var runs = await db.ActionRuleRuns.AsNoTracking().Where(r => r.WorkspaceId == workspaceId && r.RuleId == id)
            .OrderByDescending(r => r.Id).Take(RuleRunHistory.Kept).ToListAsync(ct);
        return [.. runs.Select(r => new RuleRunDetails(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), r.Trigger, r.Status, r.CioId, r.Reason))];
    }

    /// <summary>Creates a rule (a webhook rule gets its token); refused whole when anything is wrong.</summary>
    public async Task<(RuleDetails? Rule, RequestError? Error)> CreateAsync(int workspaceId, RuleDefinition definition, CancellationToken ct)
    {
        var (normalized, error) = definition.Normalize();
        if (normalized is null)
        {
            return (null, error);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rule = new ActionRule { WorkspaceId = workspaceId, Name = normalized.Name, AttributesJson = "{}", CreatedMs = now };
        Apply(rule, normalized, now);
        db.ActionRules.Add(rule);
        await db.SaveChangesAsync(ct);
        await engine.InvalidateAsync(workspaceId, ct);
        return (Details(rule), null);
    }

    /// <summary>Changes a rule; a webhook rule keeps its token (rotating is its own action). Null when the rule does not exist.</summary>
    public async Task<(RuleDetails? Rule, RequestError? Error)> UpdateAsync(int workspaceId, long id, RuleDefinition definition, CancellationToken ct)
    {
        var (normalized, error) = definition.Normalize();
        if (normalized is null)
        {
            return (null, error);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var rule = await db.ActionRules.FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Id == id, ct);
        if (rule is null)
        {
            return (null, new RequestError(ErrorKind.NotFound, "rule_id", $"there is no rule {id} in this workspace"));
        }

        Apply(rule, normalized, clock.GetUtcNow().ToUnixTimeMilliseconds());
        await db.SaveChangesAsync(ct);
        await engine.InvalidateAsync(workspaceId, ct);
        return (Details(rule), null);
    }

    /// <summary>Gives a webhook rule a new token: the old URL answers 404 from now on. False when there is no such webhook rule.</summary>
    public async Task<bool> RotateWebhookTokenAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rule = await db.ActionRules.FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Id == id && r.WebhookToken != null, ct);
        if (rule is null)
        {
            return false;
        }

        rule.WebhookToken = NewToken();
        rule.UpdatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> DeleteAsync(int workspaceId, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var deleted = await db.ActionRules.Where(r => r.WorkspaceId == workspaceId && r.Id == id).ExecuteDeleteAsync(ct) > 0;
        await engine.InvalidateAsync(workspaceId, ct);
        return deleted;
    }

    /// <summary>The enabled webhook rule a token belongs to, or null (unknown, rotated or turned off).</summary>
    public async Task<(int WorkspaceId, long RuleId)?> FindWebhookAsync(string token, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rule = await db.ActionRules.AsNoTracking().Where(r => r.WebhookToken == token && r.Enabled)
            .Select(r => new { r.WorkspaceId, r.Id }).FirstOrDefaultAsync(ct);
        return rule is null ? null : (rule.WorkspaceId, rule.Id);
    }

    internal static RuleDefinition DefinitionOf(ActionRule rule) => new(
        rule.Name,
        rule.EventName,
        rule.Sources,
        rule.TargetIdentifier,
        rule.TargetValue,
        JsonSerializer.Deserialize<Dictionary<string, string>>(rule.AttributesJson) ?? [],
        rule.Enabled);

    private static void Apply(ActionRule rule, RuleDefinition definition, long now)
    {
        rule.Name = definition.Name;
        rule.EventName = definition.EventName;
        rule.Sources = [.. definition.Sources ?? []];
        rule.TargetIdentifier = definition.TargetIdentifier;
        rule.TargetValue = definition.TargetValue;
        rule.AttributesJson = JsonSerializer.Serialize(definition.Attributes);
        rule.Enabled = definition.Enabled;
        rule.WebhookToken = definition.IsWebhook ? rule.WebhookToken ?? NewToken() : null;
        rule.UpdatedMs = now;
    }

    /// <summary>256 random bits, URL-safe: the webhook URL is its only secret.</summary>
    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static RuleDetails Details(ActionRule rule) => new(
        rule.Id, DefinitionOf(rule), rule.WebhookToken,
        DateTimeOffset.FromUnixTimeMilliseconds(rule.CreatedMs), DateTimeOffset.FromUnixTimeMilliseconds(rule.UpdatedMs));
}
