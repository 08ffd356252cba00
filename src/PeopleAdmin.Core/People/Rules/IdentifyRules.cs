using System.Text.Json.Nodes;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>Identify (rules 1 to 6 of identity-rules.md) and the People page's create-only add.</summary>
internal static class IdentifyRules
{
    public const string IgnoredUnknownCioId = "unknown cio_id";
    public const string IgnoredSuppressed = "suppressed identifier";
    public const string IgnoredUpdateWithoutMatch = "_update without a match";

    public static async Task<OperationResult> ApplyAsync(IdentifyOperation operation, WriteSession session, CancellationToken ct)
    {
        var (invalid, body) = operation.Check();
        if ((invalid ?? body.CheckClock(session.NowMs)) is { } refused)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = refused };
        }

        var workspace = await session.FindWorkspaceAsync(ct);
        if (workspace is null)
        {
            return NoWorkspace(session);
        }

        var reference = Normalize(operation.Reference, workspace.Settings.Identifiers);
        if (reference.Kind != ReferenceKind.CioId && SeedRules.IsBlocked(workspace.Settings, reference.Value))
        {
            return OperationResult.Rejected(ErrorKind.Invalid, "identifier", $"\"{reference.Value}\" is a blocked value and is never accepted as an identifier");
        }

        // Most identifies of a new person need none of the rules' lookups and decisions: the bulk path's create writes
        // the same rows and entries with prepared statements, without the change tracker.
        if (PlainCreateRules.Identifiers(operation, body, workspace, session.BulkCreate, session.Everyday.AnySuppressions(workspace.Id)) is { } identifiers)
        {
            var created = PlainCreateRules.Create(session, workspace, body, identifiers);
            session.BulkCreate.Flush();
            return created;
        }

        var editor = new PersonEditor(session, workspace, body.Timestamp);
        var mode = workspace.Settings.Identifiers;
        var inputs = new List<IdentifierInput>();
        if (reference.Kind != ReferenceKind.CioId)
        {
            inputs.Add(new IdentifierInput(PersonReference.KindOf(reference.Kind), reference.Value, FromPath: true));
        }

        if (body.HasId)
        {
            inputs.Add(new IdentifierInput(IdentifierKind.Id, body.Id, FromPath: false));
        }

        if (body.HasEmail && mode == IdentifierMode.EmailOrId)
        {
            inputs.Add(new IdentifierInput(IdentifierKind.Email, body.Email, FromPath: false));
        }

        var cioId = reference.Kind == ReferenceKind.CioId ? PersonReference.StripCioPrefix(reference.Value) : body.CioId;
        return cioId is not null
            ? await ByCioIdAsync(cioId, inputs, body, editor, ct)
            : await ByIdentifierAsync(reference, inputs, body, editor, ct);
    }

    /// <summary>Rule 1: the cio_id alone finds the person; the request's identifiers update theirs.</summary>
    private static async Task<OperationResult> ByCioIdAsync(string cioId, List<IdentifierInput> inputs, IdentifyBody body, PersonEditor editor, CancellationToken ct)
    {
        var session = editor.Session;
        var target = await session.Store.FindByCioIdAsync(editor.Workspace.Id, cioId, ct);
        if (target is null)
        {
            return Ignore(session, null, IgnoredUnknownCioId, new JsonObject { ["cio_id"] = cioId });
        }

        var own = new List<(IdentifierKind, string)>();
        if (target.ExternalId is not null)
        {
            own.Add((IdentifierKind.Id, target.ExternalId));
        }

        if (target.Email is not null && editor.Settings.Identifiers == IdentifierMode.EmailOrId)
        {
            own.Add((IdentifierKind.Email, target.Email));
        }

        var requested = Values(inputs);
        var suppressed = await session.Store.FindSuppressionsAsync(editor.Workspace.Id, [.. own, .. requested], ct);
        if (suppressed.Count > 0)
        {
            var details = await SuppressRequestIdentifiersAsync(editor, requested, suppressed, ct);
            return Ignore(session, target, IgnoredSuppressed, details);
        }

        // The path identifier (when the body carried the cio_id) wins over a body value of its kind.
        var path = inputs.FirstOrDefault(i => i.FromPath);
        foreach (var input in inputs.Where(i => i.FromPath || path.Value is null || i.Kind != path.Kind))
        {
            await editor.ApplyIdentifierAsync(target, input.Kind, input.Value, ReferenceKind.CioId, ct);
        }

        FailBodyValuesBeatenByPath(editor, inputs, path);
        return await FinishAsync(editor, target, body, created: false, ct);
    }

    /// <summary>Rule 2: the path identifier, else a body identifier, else create (unless <c>_update</c>).</summary>
    private static async Task<OperationResult> ByIdentifierAsync(PersonReference reference, List<IdentifierInput> inputs, IdentifyBody body, PersonEditor editor, CancellationToken ct)
    {
        var session = editor.Session;
        var workspaceId = editor.Workspace.Id;
        var requested = Values(inputs);
        var suppressed = await session.Store.FindSuppressionsAsync(workspaceId, requested, ct);
        if (suppressed.Count > 0)
        {
            var details = await SuppressRequestIdentifiersAsync(editor, requested, suppressed, ct);
            return Ignore(session, null, IgnoredSuppressed, details);
        }

        var path = inputs[0];
        var target = await session.Store.FindByIdentifierAsync(workspaceId, path.Kind, path.Value!, ct);
        if (target is not null)
        {
            foreach (var input in inputs.Skip(1))
            {
                await editor.ApplyIdentifierAsync(target, input.Kind, input.Value, reference.Kind, ct);
            }

            return await FinishAsync(editor, target, body, created: false, ct);
        }

        var bodyId = inputs.Skip(1).FirstOrDefault(i => i.Kind == IdentifierKind.Id && i.Value is not null && editor.Unacceptable(i.Kind, i.Value) is null);
        var bodyEmail = inputs.Skip(1).FirstOrDefault(i => i.Kind == IdentifierKind.Email && i.Value is not null && editor.Unacceptable(i.Kind, i.Value) is null);
        var byId = bodyId.Value is null ? null : await session.Store.FindByExternalIdAsync(workspaceId, bodyId.Value, ct);
        var byEmail = bodyEmail.Value is null ? null : await session.Store.FindByEmailAsync(workspaceId, bodyEmail.Value, ct);
        var found = byId ?? byEmail;
        if (found is not null)
        {
            // Q: updated and given the path identifier (rule 3 decides whether it may take it).
            var foundBy = byId is not null ? ReferenceKind.Id : ReferenceKind.Email;
            await editor.ApplyIdentifierAsync(found, path.Kind, path.Value, foundBy, ct);
            foreach (var input in inputs.Skip(1))
            {
                await editor.ApplyIdentifierAsync(found, input.Kind, input.Value, foundBy, ct);
            }

            return await FinishAsync(editor, found, body, created: false, ct);
        }

        if (body.Update)
        {
            return Ignore(session, null, IgnoredUpdateWithoutMatch, new JsonObject { ["identifier"] = reference.ToString() });
        }

        // The new person's row is written once, with its identifiers (see CreateAsync).
        var person = session.Store.NewPerson(editor.Workspace, editor.NowMs);
        editor.SetIdentifier(person, path.Kind, path.Value);
        foreach (var input in inputs.Skip(1))
        {
            if (input.Kind == path.Kind)
            {
                if (input.Value is null || !PersonEditor.Same(input.Kind, input.Value, path.Value!))
                {
                    editor.Fail(input.Kind, input.Value, PersonEditor.ReasonPathWins);
                }

                continue;
            }

            if (input.Value is not null)
            {
                if (editor.Unacceptable(input.Kind, input.Value) is { } reason)
                {
                    editor.Fail(input.Kind, input.Value, reason);
                }
                else
                {
                    editor.SetIdentifier(person, input.Kind, input.Value);
                }
            }
        }

        await CreateAsync(session, person, ct);
        return await FinishAsync(editor, person, body, created: true, ct);
    }

    /// <summary>The People page's Add person: creates or refuses, never updates anyone.</summary>
    public static async Task<OperationResult> ApplyAsync(AddPersonOperation operation, WriteSession session, CancellationToken ct)
    {
        if (OperationValidator.Validate(operation) is { } invalid)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = invalid };
        }

        IdentifyBody.Parse(operation.Attributes, out var body);
        var workspace = await session.FindWorkspaceAsync(ct);
        if (workspace is null)
        {
            return NoWorkspace(session);
        }

        var mode = workspace.Settings.Identifiers;
        var id = string.IsNullOrEmpty(operation.Id) ? null : operation.Id;
        var email = string.IsNullOrWhiteSpace(operation.Email) ? null : operation.Email;
        if (id is null && (email is null || mode == IdentifierMode.IdOnly))
        {
            return OperationResult.Rejected(ErrorKind.Invalid, mode == IdentifierMode.IdOnly ? "id" : "id",
                mode == IdentifierMode.IdOnly ? "an id is required: this workspace identifies people by id only" : "an id or an email is required");
        }

        var editor = new PersonEditor(session, workspace, body.Timestamp);
        var identifiers = new List<(IdentifierKind Kind, string Value)>();
        if (id is not null)
        {
            identifiers.Add((IdentifierKind.Id, id));
        }

        if (email is not null && mode == IdentifierMode.EmailOrId)
        {
            identifiers.Add((IdentifierKind.Email, email));
        }

        foreach (var (kind, value) in identifiers)
        {
            if (editor.Unacceptable(kind, value) is { } reason)
            {
                return OperationResult.Rejected(ErrorKind.Invalid, PersonEditor.Name(kind), $"{PersonEditor.Name(kind)} \"{value}\": {reason}");
            }
        }

        var conflicts = new List<Conflict>();
        foreach (var (kind, value) in identifiers)
        {
            if (await session.Store.FindByIdentifierAsync(workspace.Id, kind, value, ct) is { } holder)
            {
                conflicts.Add(new Conflict(holder.CioId, PersonEditor.Name(kind), value, $"cio_{holder.CioId} already has this {PersonEditor.Name(kind)}"));
            }
        }

        foreach (var suppression in await session.Store.FindSuppressionsAsync(workspace.Id, identifiers, ct))
        {
            conflicts.Add(new Conflict(null, PersonEditor.Name(suppression.Kind), suppression.Value, "the identifier is suppressed"));
        }

        if (conflicts.Count > 0)
        {
            var first = conflicts[0];
            return new OperationResult(OperationStatus.Rejected)
            {
                Error = new RequestError(ErrorKind.Conflict, first.Identifier, $"nobody was added: {first.Identifier} \"{first.Value}\": {first.Reason}") { Conflicts = conflicts },
            };
        }

        var person = session.Store.NewPerson(workspace, editor.NowMs);
        foreach (var (kind, value) in identifiers)
        {
            editor.SetIdentifier(person, kind, value);
        }

        await CreateAsync(session, person, ct);
        if (email is not null && mode == IdentifierMode.IdOnly)
        {
            editor.SetPlainEmail(person, email);
        }

        return await FinishAsync(editor, person, body, created: true, ct);
    }

    /// <summary>The rest of the request (rule 3's "the rest still applies"), the automatic merge, then the entries.</summary>
    private static async Task<OperationResult> FinishAsync(PersonEditor editor, Person target, IdentifyBody body, bool created, CancellationToken ct)
    {
        if (body.HasEmail && editor.Settings.Identifiers == IdentifierMode.IdOnly)
        {
            editor.SetPlainEmail(target, body.Email);
        }

        string? mergedCioId = null;
        if (editor.MergeCandidate is { } candidate)
        {
            // The failed change is logged first, on the profile it happened to; the merge then carries it along.
            editor.Log(target);
            editor.ClearLog();
            var (survivor, retired) = await MergeRules.AutoMergeAsync(editor.Session, editor.Workspace, candidate.IdPerson, candidate.EmailPerson, ct);
            target = survivor;
            mergedCioId = retired;
        }

        if (await editor.ApplyAttributesAsync(target, body, created && mergedCioId is null, ct) is { } tooMany)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = tooMany };
        }

        if (body.AnonymousId is not null)
        {
            await EventRules.AttachAnonymousEventsAsync(editor.Session, editor.Settings, target, body.AnonymousId, ct);
        }

        editor.Log(target);
        return editor.Result(target, created) with { MergedCioId = mergedCioId };
    }

    /// <summary>
    /// Writes a new person, identifiers included, in one insert (the lookups before found both free) and logs the
    /// creation first, so that the entry of the identifiers' change follows it.
    /// </summary>
    internal static async Task CreateAsync(WriteSession session, Person person, CancellationToken ct)
    {
        await session.Store.SaveAsync(ct);
        session.Log(ActivityTypes.ProfileCreate, person, null);
    }

    internal static OperationResult NoWorkspace(WriteSession session) =>
        OperationResult.Rejected(ErrorKind.NotFound, "workspace", $"workspace {session.Context.WorkspaceId} does not exist");

    /// <summary>In id_only every reference but cio_ is an id (as <see cref="PersonReference.Classify"/> makes it).</summary>
    internal static PersonReference Normalize(PersonReference reference, IdentifierMode mode) =>
        mode == IdentifierMode.IdOnly && reference.Kind == ReferenceKind.Email ? PersonReference.ForId(reference.Value) : reference;

    internal static OperationResult Ignore(WriteSession session, Person? person, string reason, JsonObject? details = null)
    {
        var data = details ?? [];
        data["reason"] = reason;
        session.Log(ActivityTypes.RequestIgnored, person, data.ToJsonString());
        return OperationResult.Ignored(reason, person?.CioId);
    }

    private static List<(IdentifierKind Kind, string Value)> Values(List<IdentifierInput> inputs) =>
        [.. inputs.Where(i => i.Value is not null).Select(i => (i.Kind, i.Value!))];

    private static void FailBodyValuesBeatenByPath(PersonEditor editor, List<IdentifierInput> inputs, IdentifierInput path)
    {
        if (path.Value is null)
        {
            return;
        }

        foreach (var input in inputs.Where(i => !i.FromPath && i.Kind == path.Kind))
        {
            if (input.Value is null || !PersonEditor.Same(input.Kind, input.Value, path.Value))
            {
                editor.Fail(input.Kind, input.Value, PersonEditor.ReasonPathWins);
            }
        }
    }

    /// <summary>
    /// The suppression clause of rules 1 and 2: the request's identifiers that are not suppressed yet are suppressed
    /// too (as one group), except one that a live person holds, which is left alone and named in the entry.
    /// </summary>
    private static async Task<JsonObject> SuppressRequestIdentifiersAsync(
        PersonEditor editor, List<(IdentifierKind Kind, string Value)> requested, List<Suppression> suppressed, CancellationToken ct)
    {
        var session = editor.Session;
        var details = new JsonObject
        {
            ["suppressed"] = new JsonArray([.. suppressed.Select(s => (JsonNode?)JsonValue.Create(s.Value))]),
        };
        var added = new JsonArray();
        var leftAlone = new JsonArray();
        long? group = null;
        foreach (var (kind, value) in requested)
        {
            var key = Suppression.KeyOf(kind, value);
            if (suppressed.Any(s => s.Kind == kind && s.ValueKey == key) || editor.Unacceptable(kind, value) is not null)
            {
                continue;
            }

            if (await session.Store.FindByIdentifierAsync(editor.Workspace.Id, kind, value, ct) is { } holder)
            {
                leftAlone.Add(new JsonObject { ["value"] = value, ["held_by"] = holder.CioId });
                continue;
            }

            group ??= await session.Store.NextSuppressionGroupAsync(editor.Workspace.Id, ct);
            session.Store.AddSuppression(new Suppression
            {
                WorkspaceId = editor.Workspace.Id,
                GroupId = group.Value,
                Kind = kind,
                Value = value,
                ValueKey = key,
                Source = session.Context.Source,
                CreatedMs = editor.NowMs,
            });
            suppressed.Add(new Suppression { Kind = kind, Value = value, ValueKey = key, Source = session.Context.Source });
            added.Add(value);
        }

        details["newly_suppressed"] = added;
        if (leftAlone.Count > 0)
        {
            details["left_alone"] = leftAlone;
        }

        return details;
    }

    private readonly record struct IdentifierInput(IdentifierKind Kind, string? Value, bool FromPath);
}
