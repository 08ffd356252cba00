using System.Globalization;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// Workspace settings changes: validated, then guarded against what the data cannot satisfy (refused whole,
/// with every conflict), then applied with one history row per changed setting.
/// </summary>
internal static class SettingsRules
{
    /// <summary>
    /// Checks a patch without the database. A flag that only matters in the other identifier mode
    /// (<c>allow_email_updates_by_id</c> in <c>id_only</c>, <c>reference_people_by_cio_id</c> in <c>email_or_id</c>) is
    /// stored and stays inert until the mode makes it apply, so that switching modes back keeps the operator's choice.
    /// </summary>
    public static RequestError? Validate(SettingsPatch patch)
    {
        if (patch.Identifiers is { } mode && !Enum.IsDefined(mode))
        {
            return OperationValidator.Invalid("identifiers", "identifiers must be email_or_id or id_only");
        }

        if (patch.BlockedIdentifierValues is { } blocked)
        {
            if (blocked.Count > Limits.BlockedIdentifierValues)
            {
                return OperationValidator.Invalid("blocked_identifier_values", $"blocked_identifier_values holds {blocked.Count} values; the limit is {Limits.BlockedIdentifierValues}");
            }

            for (var i = 0; i < blocked.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(blocked[i]))
                {
                    return OperationValidator.Invalid($"blocked_identifier_values[{i}]", "a blocked value must be a non-empty string");
                }

                if (OperationValidator.Bytes(blocked[i]) > Limits.AttributeValueBytes)
                {
                    return OperationValidator.Invalid($"blocked_identifier_values[{i}]", $"the value is {OperationValidator.Bytes(blocked[i])} bytes; the limit is {Limits.AttributeValueBytes} bytes");
                }
            }
        }

        if (patch.AllowedOrigins is { } origins && AllowedOrigins.NormalizeAll(origins, out var originError) is null)
        {
            return OperationValidator.Invalid(originError!.Value.Field, originError.Value.Message);
        }

        return patch.ChangesRateLimit && patch.RateLimitPerSecond is <= 0
            ? OperationValidator.Invalid("rate_limit_per_second", $"rate_limit_per_second must be a positive whole number or null; it is {patch.RateLimitPerSecond}")
            : null;
    }

    public static async Task<OperationResult> ApplyAsync(ChangeSettingsOperation operation, WriteSession session, CancellationToken ct)
    {
        if (Validate(operation.Patch) is { } invalid)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = invalid };
        }

        var workspace = await session.FindWorkspaceAsync(ct);
        if (workspace is null)
        {
            return IdentifyRules.NoWorkspace(session);
        }

        var before = workspace.Settings;
        var after = Apply(before.Clone(), operation.Patch);
        var conflicts = await GuardAsync(session, workspace.Id, before, after, ct);
        if (conflicts.Count > 0)
        {
            return new OperationResult(OperationStatus.Rejected)
            {
                Error = new RequestError(ErrorKind.Conflict, conflicts[0].Field, $"the settings were not changed: {conflicts.Count} conflict(s) with the data; first: {Describe(conflicts[0].Conflict)}")
                {
                    Conflicts = [.. conflicts.Select(c => c.Conflict)],
                },
            };
        }

        var changes = Differences(before, after);
        if (changes.Count == 0)
        {
            return new OperationResult(OperationStatus.Applied);
        }

        if (before.Identifiers != after.Identifiers)
        {
            await session.Store.SetEmailUniquenessAsync(workspace.Id, after.Identifiers, ct);
        }

        workspace.Settings = after;
        var actor = session.Context.Actor ?? session.Context.Source;
        var at = session.Clock.GetUtcNow().UtcDateTime;
        var data = new System.Text.Json.Nodes.JsonObject();
        foreach (var (setting, from, to) in changes)
        {
            session.Store.AddSettingsChange(new SettingsChange { WorkspaceId = workspace.Id, Actor = actor, ChangedAt = at, Setting = setting, FromValue = from, ToValue = to });
            data[setting] = new System.Text.Json.Nodes.JsonObject { ["from"] = from, ["to"] = to };
        }

        data["actor"] = actor;
        session.Log(ActivityTypes.SettingsChange, null, data.ToJsonString());
        return new OperationResult(OperationStatus.Applied);
    }

    private static WorkspaceSettings Apply(WorkspaceSettings settings, SettingsPatch patch)
    {
        settings.Identifiers = patch.Identifiers ?? settings.Identifiers;
        settings.AllowEmailUpdatesById = patch.AllowEmailUpdatesById ?? settings.AllowEmailUpdatesById;
        settings.ReferencePeopleByCioId = patch.ReferencePeopleByCioId ?? settings.ReferencePeopleByCioId;
        settings.MultiIdentifierMerge = patch.MultiIdentifierMerge ?? settings.MultiIdentifierMerge;
        settings.AnonymousEventMerge = patch.AnonymousEventMerge ?? settings.AnonymousEventMerge;
        if (patch.BlockedIdentifierValues is { } blocked)
        {
            settings.BlockedIdentifierValues = [.. blocked.Select(b => b.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        if (patch.ChangesRateLimit)
        {
            settings.RateLimitPerSecond = patch.RateLimitPerSecond;
        }

        if (patch.AllowedOrigins is { } origins)
        {
            settings.AllowedOrigins = AllowedOrigins.NormalizeAll(origins, out _)!;
        }

        return settings;
    }

    private static async Task<List<(string Field, Conflict Conflict)>> GuardAsync(
        WriteSession session, int workspaceId, WorkspaceSettings before, WorkspaceSettings after, CancellationToken ct)
    {
        var conflicts = new List<(string, Conflict)>();
        if (before.Identifiers != after.Identifiers)
        {
            if (after.Identifiers == IdentifierMode.EmailOrId)
            {
                conflicts.AddRange((await session.Store.FindSharedEmailsAsync(workspaceId, ct)).Select(c => ("identifiers", c)));
                conflicts.AddRange((await session.Store.FindPeopleWithSuppressedEmailsAsync(workspaceId, ct)).Select(c => ("identifiers", c)));
            }
            else
            {
                conflicts.AddRange((await session.Store.FindPeopleWithEmailButNoIdAsync(workspaceId, ct)).Select(c => ("identifiers", c)));
            }
        }

        var newlyBlocked = after.BlockedIdentifierValues
            .Where(v => !before.BlockedIdentifierValues.Contains(v, StringComparer.OrdinalIgnoreCase))
            .Select(v => v.ToLowerInvariant())
            .ToList();
        if (before.Identifiers != after.Identifiers)
        {
            // Values already blocked were never accepted as ids, but email was not an identifier in id_only.
            newlyBlocked = [.. after.BlockedIdentifierValues.Select(v => v.ToLowerInvariant())];
        }

        if (newlyBlocked.Count > 0)
        {
            var holders = await session.Store.FindHoldersOfValuesAsync(workspaceId, newlyBlocked, after.Identifiers == IdentifierMode.EmailOrId, ct);
            conflicts.AddRange(holders.Select(c => ("blocked_identifier_values", c)));
        }

        return conflicts;
    }

    private static string Describe(Conflict conflict) =>
        $"{(conflict.CioId is null ? "" : "cio_" + conflict.CioId + " ")}{conflict.Identifier} \"{conflict.Value}\": {conflict.Reason}";

    private static List<(string Setting, string? From, string? To)> Differences(WorkspaceSettings before, WorkspaceSettings after)
    {
        var changes = new List<(string, string?, string?)>();
        void Compare(string name, string? from, string? to)
        {
            if (from != to)
            {
                changes.Add((name, from, to));
            }
        }

        Compare("identifiers", Mode(before.Identifiers), Mode(after.Identifiers));
        Compare("allow_email_updates_by_id", Bool(before.AllowEmailUpdatesById), Bool(after.AllowEmailUpdatesById));
        Compare("reference_people_by_cio_id", Bool(before.ReferencePeopleByCioId), Bool(after.ReferencePeopleByCioId));
        Compare("multi_identifier_merge", Bool(before.MultiIdentifierMerge), Bool(after.MultiIdentifierMerge));
        Compare("anonymous_event_merge", Bool(before.AnonymousEventMerge), Bool(after.AnonymousEventMerge));
        Compare("blocked_identifier_values", string.Join(", ", before.BlockedIdentifierValues), string.Join(", ", after.BlockedIdentifierValues));
        Compare("allowed_origins", string.Join(", ", before.AllowedOrigins), string.Join(", ", after.AllowedOrigins));
        Compare("rate_limit_per_second", before.RateLimitPerSecond?.ToString(CultureInfo.InvariantCulture), after.RateLimitPerSecond?.ToString(CultureInfo.InvariantCulture));
        return changes;
    }

    public static string Mode(IdentifierMode mode) => mode == IdentifierMode.EmailOrId ? "email_or_id" : "id_only";

    private static string Bool(bool value) => value ? "true" : "false";
}
