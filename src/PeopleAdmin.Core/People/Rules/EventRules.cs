using System.Text.Json.Nodes;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>Person events, anonymous events, and the anonymous events an identify's anonymous_id claims.</summary>
internal static class EventRules
{
    public const string IgnoredDuplicate = "an event with this id was already received";
    private const long ThirtyDaysSeconds = 30L * 24 * 3600;

    public static async Task<OperationResult> ApplyAsync(TrackEventOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;

        if (await DuplicateAsync(session, workspace, operation.Event, ct) is { } duplicate)
        {
            return duplicate;
        }

        var (person, outcome) = await PersonFor(session, workspace, operation.Reference, ct, operation.Public);
        if (person is null)
        {
            return outcome;
        }

        Add(session, operation.Event, person, null);
        return new OperationResult(OperationStatus.Applied) { CioId = person.CioId, Created = outcome.Created };
    }

    public static async Task<OperationResult> ApplyAsync(TrackAnonymousEventOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;

        if (await DuplicateAsync(session, workspace, operation.Event, ct) is { } duplicate)
        {
            return duplicate;
        }

        var anonymousId = string.IsNullOrEmpty(operation.AnonymousId) ? null : operation.AnonymousId;
        var person = anonymousId is not null && workspace.Settings.AnonymousEventMerge
            ? await session.Store.FindByAnonymousIdAsync(workspace.Id, anonymousId, ct)
            : null;
        Add(session, operation.Event, person, anonymousId);
        return new OperationResult(OperationStatus.Applied) { CioId = person?.CioId };
    }

    /// <summary>
    /// The person an event or a device names: found, or created as identify would create them (an unknown cio_id, a
    /// suppressed identifier or a blocked value answer what identify answers), or as a public source's identify would
    /// when <paramref name="publicSource"/> (no cio_id reference, a suppressed identifier suppresses nothing more).
    /// </summary>
    internal static async Task<(Person? Person, OperationResult Outcome)> PersonFor(
        WriteSession session, Workspace workspace, PersonReference reference, CancellationToken ct, bool publicSource = false)
    {
        var empty = new Dictionary<string, AttributeValue>();
        var identify = publicSource
            ? await PublicSourceRules.ApplyAsync(new PublicIdentifyOperation(reference, empty), session, ct)
            : await IdentifyRules.ApplyAsync(new IdentifyOperation(reference, empty), session, ct);
        if (identify.Status != OperationStatus.Applied)
        {
            return (null, identify);
        }

        return (await session.Store.FindByCioIdAsync(workspace.Id, identify.CioId!, ct), identify);
    }

    /// <summary>An identify that sets anonymous_id claims that id's anonymous events of the last 30 days, when the workspace merges them.</summary>
    internal static async Task AttachAnonymousEventsAsync(WriteSession session, WorkspaceSettings settings, Person person, string anonymousId, CancellationToken ct)
    {
        if (!settings.AnonymousEventMerge)
        {
            return;
        }

        var since = session.NowMs / 1000 - ThirtyDaysSeconds;
        var attached = await session.Store.AttachAnonymousEventsAsync(person.WorkspaceId, anonymousId, person, since, ct);
        if (attached > 0)
        {
            session.Log(ActivityTypes.AnonMerge, person, new JsonObject { ["anonymous_id"] = anonymousId, ["events"] = attached }.ToJsonString());
        }
    }

    private static async Task<OperationResult?> DuplicateAsync(WriteSession session, Workspace workspace, EventInput input, CancellationToken ct)
    {
        if (input.EventId is null || !await session.Store.EventIdSeenAsync(workspace.Id, input.EventId, ct))
        {
            return null;
        }

        return IdentifyRules.Ignore(session, null, IgnoredDuplicate, new JsonObject { ["id"] = input.EventId });
    }

    private static void Add(WriteSession session, EventInput input, Person? person, string? anonymousId)
    {
        var data = input.Data is { ValueKind: System.Text.Json.JsonValueKind.Object } body ? body.GetRawText() : null;
        var entry = session.Log(input.Type, person, data, input.Name.Trim());
        entry.Timestamp = input.Timestamp ?? session.NowMs / 1000;
        entry.DedupId = input.EventId;
        entry.AnonymousId = anonymousId;
    }
}
