using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.LeadAds;

namespace PeopleAdmin.Web.Features.Settings;

/// <summary>What one way in has connected to a workspace: a line on the Integrations page, with a link to where it is set up.</summary>
public sealed record IntegrationStatus(string Name, string Description, string Href, bool Connected, string Summary);

/// <summary>The Integrations page's reads: forms, rules and lead ads, the ways in other than the APIs that exist so far.</summary>
internal sealed class IntegrationsConsole(FormsService forms, RulesService rules, LeadAdsService leadAds)
{
    public async Task<IReadOnlyList<IntegrationStatus>> ListAsync(int workspaceId, CancellationToken ct)
    {
        var (newest, leads) = await leadAds.ListAsync(workspaceId, 0, 1, ct);
        return
        [
            FormsStatus(await forms.ListAsync(workspaceId, ct)),
            RulesStatus(await rules.ListAsync(workspaceId, ct)),
            LeadAdsStatus(await leadAds.GetAsync(workspaceId, ct), leads, newest.Count > 0 ? newest[0] : null),
        ];
    }

    internal static IntegrationStatus LeadAdsStatus(LeadAdConnectionSummary? connection, int leads, LeadRow? newest)
    {
        const string description = "People added when they fill out a Facebook Lead Ad form on one of your Pages.";
        if (connection is null)
        {
            return new("Lead ads", description, "/lead-ads", false, "Not connected: connect your Facebook app and Pages on the Lead ads page.");
        }

        return new("Lead ads", description, "/lead-ads", connection.PageIds.Count > 0,
            $"{Count(connection.PageIds.Count, "Page")} · {Count(leads, "lead")}" + (newest is null ? " received so far" : $", the last received {Time(newest.Received)}"));
    }

    internal static IntegrationStatus FormsStatus(IReadOnlyList<FormSummary> forms)
    {
        const string description = "People added when they fill out a form on your website or send one through the Forms API.";
        if (forms.Count == 0)
        {
            return new("Forms", description, "/forms", false, "No forms yet: create one on the Forms page, or send a submission to the Forms API.");
        }

        var accepting = forms.Count(f => f.Enabled);
        var submissions = forms.Sum(f => f.Submissions);
        var last = forms.Max(f => f.LastSubmission);
        return new("Forms", description, "/forms", accepting > 0,
            $"{Count(forms.Count, "form")} ({accepting} accepting submissions) · {Count(submissions, "submission")}" + (last is { } at ? $", the last {Time(at)}" : ""));
    }

    internal static IntegrationStatus RulesStatus(IReadOnlyList<RuleSummary> rules)
    {
        const string description = "People created or updated from the data of events, or of JSON posted to a webhook URL.";
        if (rules.Count == 0)
        {
            return new("Rules", description, "/rules", false, "No rules yet: create one on the Rules page.");
        }

        var running = rules.Count(r => r.Enabled);
        var webhooks = rules.Count(r => r.Webhook);
        var last = rules.Where(r => r.LastRun is not null).MaxBy(r => r.LastRun);
        return new("Rules", description, "/rules", running > 0,
            $"{Count(rules.Count, "rule")} ({running} running, {Count(webhooks, "webhook")})"
            + (last is null ? " · no runs yet" : $" · the last run {Time(last.LastRun!.Value)}, {last.LastStatus?.ToLowerInvariant()}"));
    }

    private static string Count(long count, string noun) => $"{count:N0} {noun}{(count == 1 ? "" : "s")}";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
