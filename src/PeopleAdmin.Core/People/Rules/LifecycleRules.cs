using System.Text.Json.Nodes;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>Delete, suppress and unsuppress.</summary>
internal static class LifecycleRules
{
    public const string IgnoredNoPerson = "the person does not exist";
    public const string IgnoredNotSuppressed = "the identifier is not suppressed";

    public static async Task<OperationResult> ApplyAsync(DeletePersonOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;

        var person = await session.Store.FindAsync(workspace.Id, workspace.Settings.Identifiers, operation.Reference, ct);
        if (person is null)
        {
            return IdentifyRules.Ignore(session, null, IgnoredNoPerson, new JsonObject { ["identifier"] = operation.Reference.ToString() });
        }

        await session.Store.DeletePersonAsync(person, ct);
        session.LogRetired(ActivityTypes.ProfileDelete, person.CioId, new JsonObject { ["actor"] = session.Context.Actor }.ToJsonString());
        return new OperationResult(OperationStatus.Applied) { CioId = person.CioId };
    }

    public static async Task<OperationResult> ApplyAsync(SuppressOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;

        var store = session.Store;
        var person = await store.FindAsync(workspace.Id, workspace.Settings.Identifiers, operation.Reference, ct);
        var identifiers = new List<(IdentifierKind Kind, string Value)>();
        if (person is not null)
        {
            if (person.ExternalId is not null)
            {
                identifiers.Add((IdentifierKind.Id, person.ExternalId));
            }

            // In id_only workspaces an email is only an attribute: nothing would look it up on the suppression list.
            if (person.Email is not null && workspace.Settings.Identifiers == IdentifierMode.EmailOrId)
            {
                identifiers.Add((IdentifierKind.Email, person.Email));
            }
        }
        else if (operation.Reference.Kind == ReferenceKind.CioId)
        {
            return IdentifyRules.Ignore(session, null, IdentifyRules.IgnoredUnknownCioId, new JsonObject { ["cio_id"] = operation.Reference.Value });
        }
        else
        {
            var reference = IdentifyRules.Normalize(operation.Reference, workspace.Settings.Identifiers);
            identifiers.Add((PersonReference.KindOf(reference.Kind), reference.Value));
        }

        var already = await store.FindSuppressionsAsync(workspace.Id, identifiers, ct);
        var group = await store.NextSuppressionGroupAsync(workspace.Id, ct);
        var added = new JsonArray();
        foreach (var (kind, value) in identifiers)
        {
            var key = Suppression.KeyOf(kind, value);
            if (already.Any(s => s.Kind == kind && s.ValueKey == key))
            {
                continue;
            }

            store.AddSuppression(new Suppression
            {
                WorkspaceId = workspace.Id,
                GroupId = group,
                Kind = kind,
                Value = value,
                ValueKey = key,
                CioId = person?.CioId,
                Source = session.Context.Source,
                CreatedMs = session.NowMs,
            });
            added.Add(value);
        }

        if (person is null && added.Count == 0)
        {
            return OperationResult.Ignored("the identifier is already suppressed");
        }

        var data = new JsonObject { ["suppressed"] = added, ["actor"] = session.Context.Actor }.ToJsonString();
        if (person is null)
        {
            session.Log(ActivityTypes.ProfileSuppress, null, data);
            return new OperationResult(OperationStatus.Applied);
        }

        await store.DeletePersonAsync(person, ct);
        session.LogRetired(ActivityTypes.ProfileSuppress, person.CioId, data);
        return new OperationResult(OperationStatus.Applied) { CioId = person.CioId };
    }

    public static async Task<OperationResult> ApplyAsync(UnsuppressOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;

        var store = session.Store;
        var reference = IdentifyRules.Normalize(operation.Reference, workspace.Settings.Identifiers);
        var found = reference.Kind == ReferenceKind.CioId
            ? await store.FindSuppressionByCioIdAsync(workspace.Id, PersonReference.StripCioPrefix(reference.Value), ct)
            : (await store.FindSuppressionsAsync(workspace.Id, [(PersonReference.KindOf(reference.Kind), reference.Value)], ct)).FirstOrDefault();
        if (found is null)
        {
            return IdentifyRules.Ignore(session, null, IgnoredNotSuppressed, new JsonObject { ["identifier"] = reference.ToString() });
        }

        var group = await store.FindSuppressionGroupAsync(workspace.Id, found.GroupId, ct);
        store.RemoveSuppressions(group);
        var data = new JsonObject { ["unsuppressed"] = new JsonArray([.. group.Select(s => (JsonNode?)s.Value)]), ["actor"] = session.Context.Actor }.ToJsonString();
        var entry = session.Log(ActivityTypes.ProfileUnsuppress, null, data);
        entry.CioId = found.CioId;
        return new OperationResult(OperationStatus.Applied) { CioId = found.CioId };
    }
}
