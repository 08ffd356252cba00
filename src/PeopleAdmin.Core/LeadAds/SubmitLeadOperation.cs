using System.Text.Json.Nodes;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.LeadAds;

/// <summary>
/// A Facebook lead (source <c>lead_ad</c>): a form submission taken apart by its lead form's mapping, whose event is
/// <c>lead_ad_submit</c> with the lead, form and ad ids.
/// </summary>
public sealed record SubmitLeadOperation(
    string LeadgenId, string? FormId, string? AdId, IReadOnlyList<KeyValuePair<string, string>> Fields, IReadOnlyList<FormField> Mapping) : PeopleOperation
{
    public const string EventName = "lead_ad_submit";

    internal override async Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken)
    {
        var workspace = await session.FindWorkspaceAsync(cancellationToken);
        if (workspace is null)
        {
            return People.Rules.IdentifyRules.NoWorkspace(session);
        }

        var submission = FormRules.Resolve(Fields, Mapping, workspace.Settings.Identifiers);
        var data = new JsonObject { ["leadgen_id"] = LeadgenId, ["form_id"] = FormId, ["ad_id"] = AdId };
        return await People.Rules.SubmitFormRules.IdentifyAsync(session, submission, isPublic: false, EventName, data, cancellationToken);
    }
}
