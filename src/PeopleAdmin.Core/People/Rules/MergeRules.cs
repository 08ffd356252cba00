using System.Text.Json;
using System.Text.Json.Nodes;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>Merge (manual, API, automatic) and its undo from the merge record.</summary>
internal static class MergeRules
{
    public static async Task<OperationResult> ApplyAsync(MergeOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;

        var mode = workspace.Settings.Identifiers;
        var primary = await session.Store.FindAsync(workspace.Id, mode, operation.Primary, ct);
        var secondary = await session.Store.FindAsync(workspace.Id, mode, operation.Secondary, ct);
        if (primary is null || secondary is null)
        {
            var missing = primary is null ? "primary" : "secondary";
            return IdentifyRules.Ignore(session, primary ?? secondary, $"the {missing} person does not exist",
                new JsonObject { ["primary"] = operation.Primary.ToString(), ["secondary"] = operation.Secondary.ToString() });
        }

        if (primary.Id == secondary.Id)
        {
            return OperationResult.Rejected(ErrorKind.Invalid, "secondary", $"primary and secondary are the same person (cio_{primary.CioId})");
        }

        var record = await MergeAsync(session, workspace, primary, secondary, ct);
        return new OperationResult(OperationStatus.Applied) { CioId = primary.CioId, MergedCioId = record.SecondaryCioId, RecordId = record.Id };
    }

    /// <summary>The automatic merge: <see cref="SeedRules.OlderProfileWins"/> picks the primary.</summary>
    public static async Task<(Person Survivor, string Retired)> AutoMergeAsync(WriteSession session, Workspace workspace, Person a, Person b, CancellationToken ct)
    {
        var (primary, secondary) = SeedRules.OlderProfileWins(a, b);
        var record = await MergeAsync(session, workspace, primary, secondary, ct);
        return (primary, record.SecondaryCioId);
    }

    private static async Task<MergeRecord> MergeAsync(WriteSession session, Workspace workspace, Person primary, Person secondary, CancellationToken ct)
    {
        var store = session.Store;
        var now = session.NowMs;
        // This operation's pending changes (an identify that triggered the automatic merge) must be in what the snapshot reads.
        await store.SaveAsync(ct);
        var primaryAttributes = await store.LoadAttributesAsync(primary, ct);
        var secondaryAttributes = await store.LoadAttributesAsync(secondary, ct);
        var secondaryDevices = await store.DevicesOfAsync(secondary, ct);
        var primaryMemberships = await store.MembershipsOfAsync(primary, ct);
        var secondaryMemberships = await store.MembershipsOfAsync(secondary, ct);
        var activity = await store.ActivityIdsOfAsync(secondary, ct);
        var snapshot = new MergeSnapshot(
            PersonSnapshot.Of(primary, primaryAttributes.Values, [], primaryMemberships),
            PersonSnapshot.Of(secondary, secondaryAttributes.Values, secondaryDevices, secondaryMemberships),
            [],
            [],
            [],
            [.. secondaryDevices.Select(d => d.Id)],
            activity);

        await store.MoveActivityAsync(activity, secondary, primary, ct);
        foreach (var device in secondaryDevices)
        {
            device.PersonId = primary.Id;
        }

        var primarySegments = primaryMemberships.Select(m => m.SegmentId).ToHashSet();
        foreach (var membership in secondaryMemberships.Where(m => !primarySegments.Contains(m.SegmentId)))
        {
            store.AddMembership(new SegmentMembership { SegmentId = membership.SegmentId, PersonId = primary.Id, WorkspaceId = primary.WorkspaceId, AddedMs = now });
            snapshot.SegmentsAdded.Add(membership.SegmentId);
        }

        // The primary's values win; the secondary only fills in the names the primary lacks.
        foreach (var attribute in secondaryAttributes.Values.Where(a => !primaryAttributes.ContainsKey(a.Name)).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            store.AddAttribute(attribute.CopyFor(primary.Id));
            snapshot.AttributesGiven.Add(AttributeSnapshot.Of(attribute));
        }

        snapshot.Relationships = await Objects.RelationshipRules.MergeAsync(session, primary, secondary, ct); // relationships too: Objects/RelationshipRules
        await store.SaveAsync(ct);
        // The secondary goes before the primary takes its identifiers: the unique indexes would refuse two holders.
        await store.RemoveMergedPersonAsync(secondary, ct);
        if (primary.ExternalId is null && secondary.ExternalId is not null)
        {
            primary.ExternalId = secondary.ExternalId;
            primary.ExternalIdChangedMs = secondary.ExternalIdChangedMs;
            snapshot.IdentifiersTaken.Add(ReservedKeys.Id);
        }

        if (primary.Email is null && secondary.Email is not null)
        {
            primary.Email = secondary.Email;
            primary.EmailNormalized = secondary.EmailNormalized;
            primary.EmailIsIdentifier = Person.EmailIdentifies(SeedRules.EmailIsAnIdentifier(workspace.Settings), secondary.EmailNormalized);
            primary.EmailChangedMs = secondary.EmailChangedMs;
            snapshot.IdentifiersTaken.Add(ReservedKeys.Email);
        }

        primary.UpdatedMs = now;
        await store.SaveAsync(ct);
        var record = await store.AddMergeRecordAsync(new MergeRecord
        {
            WorkspaceId = primary.WorkspaceId,
            PrimaryPersonId = primary.Id,
            PrimaryCioId = primary.CioId,
            SecondaryCioId = secondary.CioId,
            Source = session.Context.Source,
            Actor = session.Context.Actor,
            AtMs = now,
            Snapshot = JsonSerializer.Serialize(snapshot),
        }, ct);
        session.Log(ActivityTypes.ProfileMerge, primary, new JsonObject
        {
            ["secondary"] = secondary.CioId,
            ["merge_record"] = record.Id,
            ["identifiers_taken"] = new JsonArray([.. snapshot.IdentifiersTaken.Select(i => (JsonNode?)i)]),
            ["attributes_taken"] = new JsonArray([.. snapshot.AttributesGiven.Select(a => (JsonNode?)a.Name)]),
            ["activity_moved"] = activity.Count,
            ["devices_moved"] = secondaryDevices.Count,
            ["segments_joined"] = snapshot.SegmentsAdded.Count,
            ["actor"] = session.Context.Actor,
        }.ToJsonString());
        return record;
    }

    public static async Task<OperationResult> ApplyAsync(UndoMergeOperation operation, WriteSession session, CancellationToken ct)
    {
        var workspace = await session.FindWorkspaceAsync(ct);
        if (workspace is null)
        {
            return IdentifyRules.NoWorkspace(session);
        }

        var store = session.Store;
        var record = await store.FindMergeRecordAsync(workspace.Id, operation.MergeRecordId, ct);
        if (record is null)
        {
            return OperationResult.Rejected(ErrorKind.NotFound, "merge_record", $"merge record {operation.MergeRecordId} does not exist in this workspace");
        }

        if (record.UndoneMs is not null)
        {
            return Refuse($"merge record {record.Id} was already undone");
        }

        var primary = await store.FindByCioIdAsync(workspace.Id, record.PrimaryCioId, ct);
        if (primary is null)
        {
            if (await store.FindMergeRetiringAsync(workspace.Id, record.PrimaryCioId, ct) is { } later)
            {
                return Refuse($"the primary cio_{record.PrimaryCioId} has since been merged into cio_{later.PrimaryCioId}");
            }

            return await store.FindSuppressionByCioIdAsync(workspace.Id, record.PrimaryCioId, ct) is not null
                ? Refuse($"the primary cio_{record.PrimaryCioId} has since been suppressed")
                : Refuse($"the primary cio_{record.PrimaryCioId} has since been deleted");
        }

        var snapshot = JsonSerializer.Deserialize<MergeSnapshot>(record.Snapshot)!;
        var secondary = snapshot.Secondary;
        if (workspace.Settings.Identifiers == IdentifierMode.IdOnly && secondary.ExternalId is null)
        {
            return Refuse($"the secondary cio_{secondary.CioId} has no id, and this workspace identifies people by id only");
        }

        var needed = new List<(IdentifierKind Kind, string Value)>();
        if (secondary.ExternalId is not null)
        {
            needed.Add((IdentifierKind.Id, secondary.ExternalId));
        }

        if (secondary.Email is not null && workspace.Settings.Identifiers == IdentifierMode.EmailOrId)
        {
            needed.Add((IdentifierKind.Email, secondary.Email));
        }

        foreach (var (kind, value) in needed)
        {
            var name = PersonEditor.Name(kind);
            var holder = await store.FindByIdentifierAsync(workspace.Id, kind, value, ct);
            var heldByPrimaryFromMerge = holder is not null && holder.Id == primary.Id && snapshot.IdentifiersTaken.Contains(name);
            if (holder is not null && !heldByPrimaryFromMerge)
            {
                return Refuse($"the secondary's {name} \"{value}\" now belongs to cio_{holder.CioId}");
            }
        }

        if ((await store.FindSuppressionsAsync(workspace.Id, needed, ct)).FirstOrDefault() is { } suppressed)
        {
            return Refuse($"the secondary's {PersonEditor.Name(suppressed.Kind)} \"{suppressed.Value}\" is suppressed");
        }

        var idGoesBack = snapshot.IdentifiersTaken.Contains(ReservedKeys.Id) && primary.ExternalId is not null && primary.ExternalId == secondary.ExternalId;
        var emailGoesBack = snapshot.IdentifiersTaken.Contains(ReservedKeys.Email) && primary.Email is not null && secondary.Email is not null
            && PersonEditor.Same(IdentifierKind.Email, primary.Email, secondary.Email);
        var keepsId = primary.ExternalId is not null && !idGoesBack;
        var keepsEmail = primary.Email is not null && !emailGoesBack && workspace.Settings.Identifiers == IdentifierMode.EmailOrId;
        if (!keepsId && !keepsEmail)
        {
            return Refuse($"the primary cio_{primary.CioId} would be left without an identifier");
        }

        var kept = new List<string>();
        foreach (var name in snapshot.IdentifiersTaken)
        {
            var kind = name == ReservedKeys.Id ? IdentifierKind.Id : IdentifierKind.Email;
            var given = name == ReservedKeys.Id ? secondary.ExternalId : secondary.Email;
            var current = PersonEditor.ValueOf(primary, kind);
            if (current is not null && given is not null && PersonEditor.Same(kind, current, given))
            {
                if (kind == IdentifierKind.Id)
                {
                    primary.ExternalId = null;
                    primary.ExternalIdChangedMs = snapshot.Primary.ExternalIdChangedMs;
                }
                else
                {
                    primary.Email = null;
                    primary.EmailNormalized = null;
                    primary.EmailIsIdentifier = null;
                    primary.EmailChangedMs = snapshot.Primary.EmailChangedMs;
                }
            }
            else
            {
                kept.Add(name);
            }
        }

        var primaryAttributes = await store.LoadAttributesAsync(primary, ct);
        foreach (var given in snapshot.AttributesGiven)
        {
            if (!primaryAttributes.TryGetValue(given.Name, out var current))
            {
                continue;
            }

            if (current.Type == given.Type && current.TextValue == given.Text)
            {
                store.RemoveAttribute(current);
            }
            else
            {
                kept.Add(given.Name);
            }
        }

        var now = session.NowMs;
        primary.UpdatedMs = now;
        await store.SaveAsync(ct);
        var restored = await store.RestorePersonAsync(secondary.ToPerson(workspace.Id, workspace.Settings), ct);
        foreach (var attribute in secondary.Attributes)
        {
            store.AddAttribute(attribute.ToAttribute(restored));
        }

        var primaryDevices = (await store.DevicesOfAsync(primary, ct)).ToDictionary(d => d.Token, StringComparer.Ordinal);
        foreach (var device in secondary.Devices)
        {
            if (primaryDevices.TryGetValue(device.Token, out var moved))
            {
                moved.PersonId = restored.Id;
            }
            else if (await store.FindDeviceAsync(workspace.Id, device.Token, ct) is null)
            {
                store.AddDevice(device.ToDevice(workspace.Id, restored.Id));
            }
        }

        var primaryMemberships = await store.MembershipsOfAsync(primary, ct);
        foreach (var membership in primaryMemberships.Where(m => snapshot.SegmentsAdded.Contains(m.SegmentId)))
        {
            store.RemoveMembership(membership);
        }

        foreach (var segmentId in await store.ExistingSegmentIdsAsync(workspace.Id, secondary.Segments, ct))
        {
            store.AddMembership(new SegmentMembership { SegmentId = segmentId, PersonId = restored.Id, WorkspaceId = workspace.Id, AddedMs = now });
        }

        kept.AddRange(await Objects.RelationshipRules.UndoMergeAsync(session, snapshot.Relationships, primary, restored, ct)); // relationships too: Objects/RelationshipRules
        await store.SaveAsync(ct);
        await store.MoveActivityAsync(snapshot.ActivityMoved, primary, restored, ct);
        record.UndoneMs = now;
        var keptJson = new JsonArray([.. kept.Select(k => (JsonNode?)k)]);
        session.Log(ActivityTypes.MergeUndo, primary, new JsonObject { ["secondary"] = restored.CioId, ["merge_record"] = record.Id, ["kept"] = keptJson, ["actor"] = session.Context.Actor }.ToJsonString());
        session.Log(ActivityTypes.MergeUndo, restored, new JsonObject { ["primary"] = primary.CioId, ["merge_record"] = record.Id, ["actor"] = session.Context.Actor }.ToJsonString());
        return new OperationResult(OperationStatus.Applied) { CioId = restored.CioId, RecordId = record.Id, Kept = kept };
    }

    private static OperationResult Refuse(string reason) => OperationResult.Rejected(ErrorKind.Conflict, "merge_record", "the merge cannot be undone: " + reason);
}

/// <summary>What a merge record keeps: both profiles as they were, and what the primary gained.</summary>
internal sealed record MergeSnapshot(
    PersonSnapshot Primary,
    PersonSnapshot Secondary,
    List<string> IdentifiersTaken,
    List<AttributeSnapshot> AttributesGiven,
    List<int> SegmentsAdded,
    List<long> DevicesMoved,
    List<long> ActivityMoved)
{
    /// <summary>The secondary's relationships and what the primary gained of them; null when there were none.</summary>
    public Objects.RelationshipsMerged? Relationships { get; set; }
}

internal sealed record PersonSnapshot(
    string CioId,
    string? ExternalId,
    string? Email,
    string? EmailNormalized,
    long FirstSeenMs,
    long CreatedAt,
    long UpdatedMs,
    long? ExternalIdChangedMs,
    long? EmailChangedMs,
    bool Unsubscribed,
    long? LastImportId,
    List<AttributeSnapshot> Attributes,
    List<DeviceSnapshot> Devices,
    List<int> Segments,
    long? CreatedAtChangedMs = null,
    long? UnsubscribedChangedMs = null)
{
    public static PersonSnapshot Of(Person p, IEnumerable<PersonAttribute> attributes, IEnumerable<Device> devices, IEnumerable<SegmentMembership> memberships) => new(
        p.CioId, p.ExternalId, p.Email, p.EmailNormalized, p.FirstSeenMs, p.CreatedAt, p.UpdatedMs, p.ExternalIdChangedMs, p.EmailChangedMs, p.Unsubscribed, p.LastImportId,
        [.. attributes.Select(AttributeSnapshot.Of)],
        [.. devices.Select(d => new DeviceSnapshot(d.Token, d.Platform, d.LastUsed, d.Attributes, d.UpdatedMs))],
        [.. memberships.Select(m => m.SegmentId)],
        p.CreatedAtChangedMs,
        p.UnsubscribedChangedMs);

    public Person ToPerson(int workspaceId, WorkspaceSettings settings) => new()
    {
        EmailIsIdentifier = Person.EmailIdentifies(SeedRules.EmailIsAnIdentifier(settings), EmailNormalized),
        WorkspaceId = workspaceId,
        CioId = CioId,
        ExternalId = ExternalId,
        Email = Email,
        EmailNormalized = EmailNormalized,
        FirstSeenMs = FirstSeenMs,
        CreatedAt = CreatedAt,
        UpdatedMs = UpdatedMs,
        ExternalIdChangedMs = ExternalIdChangedMs,
        EmailChangedMs = EmailChangedMs,
        Unsubscribed = Unsubscribed,
        LastImportId = LastImportId,
        CreatedAtChangedMs = CreatedAtChangedMs,
        UnsubscribedChangedMs = UnsubscribedChangedMs,
    };
}

internal sealed record AttributeSnapshot(string Name, AttributeType Type, string Text, double? Number, long SetMs, long? Timestamp)
{
    public static AttributeSnapshot Of(PersonAttribute a) => new(a.Name, a.Type, a.TextValue, a.NumberValue, a.SetMs, a.Timestamp);

    public PersonAttribute ToAttribute(Person person) => new()
    {
        PersonId = person.Id,
        WorkspaceId = person.WorkspaceId,
        Name = Name,
        Type = Type,
        TextValue = Text,
        NumberValue = Number,
        SetMs = SetMs,
        Timestamp = Timestamp,
    };
}

internal sealed record DeviceSnapshot(string Token, string Platform, long? LastUsed, string? Attributes, long UpdatedMs)
{
    public Device ToDevice(int workspaceId, long personId) => new()
    {
        WorkspaceId = workspaceId,
        PersonId = personId,
        Token = Token,
        Platform = Platform,
        LastUsed = LastUsed,
        Attributes = Attributes,
        UpdatedMs = UpdatedMs,
    };
}
