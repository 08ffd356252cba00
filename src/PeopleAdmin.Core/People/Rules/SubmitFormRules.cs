using System.Text.Json.Nodes;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// A form submission: finds (or, from the Forms API, registers) the form, takes the submission apart by its mapping
/// (<see cref="FormRules.Resolve"/>), identifies the one reference (through <see cref="PublicSourceRules"/> for the
/// hosted action), remembers the fields seen and counts the submission, and logs the <c>form_submit</c> event.
/// </summary>
internal static class SubmitFormRules
{
    public static async Task<OperationResult> ApplyAsync(SubmitFormOperation operation, WriteSession session, CancellationToken ct)
    {
        if (FormRules.ValidateSubmission(operation) is { } invalid)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = invalid };
        }

        var workspace = await session.FindWorkspaceAsync(ct);
        if (workspace is null)
        {
            return IdentifyRules.NoWorkspace(session);
        }

        var form = await session.Store.FindFormAsync(workspace.Id, operation.FormId, ct);
        if (form is null)
        {
            if (operation.Public)
            {
                return OperationResult.Rejected(ErrorKind.NotFound, "form_id", $"there is no form \"{operation.FormId}\" in this workspace; create it on the Forms page first");
            }

            if (await session.Store.CountFormsAsync(workspace.Id, ct) >= FormRules.MaxFormsPerWorkspace)
            {
                return OperationResult.Rejected(ErrorKind.Invalid, "form_id",
                    $"the workspace holds {FormRules.MaxFormsPerWorkspace:N0} forms, the limit; form \"{operation.FormId}\" was not registered (delete a form on the Forms page first)");
            }

            form = new Form { WorkspaceId = workspace.Id, FormId = operation.FormId, Name = operation.FormId, CreatedMs = session.NowMs };
            session.Store.AddForm(form);
        }

        if (!form.Enabled)
        {
            return IdentifyRules.Ignore(session, null, FormRules.IgnoredFormOff, new JsonObject { ["form_id"] = form.FormId });
        }

        Remember(form, operation.Fields, session.NowMs);
        form.Submissions++;
        form.LastSubmissionMs = session.NowMs;

        var submission = FormRules.Resolve(operation.Fields, form.Fields, workspace.Settings.Identifiers);
        return await IdentifyAsync(
            session, submission, operation.Public, FormRules.EventName, new JsonObject { ["form_id"] = form.FormId, ["form_name"] = form.Name }, ct);
    }

    /// <summary>
    /// What every kind of form submission does once taken apart: identifies the one reference (as a public source for
    /// the hosted action), then logs its event with the identifier fields left out.
    /// </summary>
    internal static async Task<OperationResult> IdentifyAsync(
        WriteSession session, ResolvedSubmission submission, bool isPublic, string eventName, JsonObject data, CancellationToken ct)
    {
        if (submission.Reference is not { } reference)
        {
            return IdentifyRules.Ignore(session, null, FormRules.IgnoredNoIdentifier, data);
        }

        var identify = isPublic
            ? await PublicSourceRules.ApplyAsync(new PublicIdentifyOperation(reference, submission.Attributes), session, ct)
            : await IdentifyRules.ApplyAsync(new IdentifyOperation(reference, submission.Attributes), session, ct);
        if (identify.Status != OperationStatus.Applied)
        {
            return identify;
        }

        var person = await session.Store.FindByCioIdAsync(session.Context.WorkspaceId, identify.CioId!, ct);
        if (submission.IgnoredIdentifiers.Count > 0)
        {
            // Another identifier field is never set: the event says which were left out.
            data["ignored_identifiers"] = new JsonObject([.. submission.IgnoredIdentifiers.Select(i => KeyValuePair.Create(i.Key, (JsonNode?)JsonValue.Create(i.Value)))]);
        }

        var entry = session.Log(ActivityTypes.Event, person, data.ToJsonString(), eventName);
        entry.Timestamp = session.NowMs / 1000;
        return identify;
    }

    /// <summary>New field names join the form's list (as attributes, until mapped), up to its bound.</summary>
    private static void Remember(Form form, IReadOnlyList<KeyValuePair<string, string>> fields, long nowMs)
    {
        var known = form.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in fields)
        {
            if (form.Fields.Count >= FormRules.MaxFieldsPerForm)
            {
                return;
            }

            if (name != FormRules.Honeypot && !FormRules.ReservedKeys.Contains(name) && known.Add(name))
            {
                form.Fields.Add(new FormField { WorkspaceId = form.WorkspaceId, Name = name, FirstSeenMs = nowMs });
            }
        }
    }
}
