using System.Text.Json;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People;

// The operations of the identity service. Each is a record of its input; how it applies lives in Rules/.

/// <summary>
/// Identify: add or update (identity rules 1 to 6). <paramref name="Attributes"/> is the request body: custom
/// attributes and the keys the rules interpret (<c>id</c>, <c>email</c>, <c>cio_id</c>, <c>created_at</c>,
/// <c>_timestamp</c>, <c>_update</c>, <c>anonymous_id</c>, <c>unsubscribed</c>).
/// </summary>
public sealed record IdentifyOperation(
    PersonReference Reference,
    IReadOnlyDictionary<string, AttributeValue> Attributes,
    IReadOnlyList<RelationshipInput>? Relationships = null) : PeopleOperation
{
    private CheckedIdentify? _checked;

    /// <summary>A copy made by <c>with</c> has input of its own, so it is checked again rather than given this one's result.</summary>
    private IdentifyOperation(IdentifyOperation original)
        : base(original)
    {
        Reference = original.Reference;
        Attributes = original.Attributes;
        Relationships = original.Relationships;
        RelationshipAction = original.RelationshipAction;
    }

    /// <summary>Whether <see cref="Relationships"/> adds the person to those objects or removes them (Track v1's <c>cio_relationships.action</c>).</summary>
    public Objects.RelationshipAction RelationshipAction { get; init; }

    internal override async Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        await Objects.RelationshipRules.AfterIdentifyAsync(this, await Rules.IdentifyRules.ApplyAsync(this, session, cancellationToken), session, cancellationToken);

    internal override void Prepare() => Check();

    internal override long EstimatedBytes => BaseBytes + Check().Body.Bytes;

    /// <summary>What is wrong with the input (or null) and its body taken apart; worked out on the first call only.</summary>
    internal CheckedIdentify Check() => _checked ??= new CheckedIdentify(OperationValidator.ValidateIdentify(this, out var body), body);
}

/// <summary>An identify's validation and parsed body. The rules only read the body, so a batch run again reuses it.</summary>
internal sealed record CheckedIdentify(RequestError? Error, IdentifyBody Body);

/// <summary>The People page's "Add person": creates, never updates; refuses identifiers someone holds or that are suppressed.</summary>
public sealed record AddPersonOperation(
    string? Id,
    string? Email,
    IReadOnlyDictionary<string, AttributeValue> Attributes) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.IdentifyRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Changes workspace settings through the guard: what the data cannot satisfy is refused with the conflicts.</summary>
public sealed record ChangeSettingsOperation(SettingsPatch Patch) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.SettingsRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>A partial settings change: null leaves a setting as it is.</summary>
public sealed record SettingsPatch
{
    public IdentifierMode? Identifiers { get; init; }

    public bool? AllowEmailUpdatesById { get; init; }

    public bool? ReferencePeopleByCioId { get; init; }

    public bool? MultiIdentifierMerge { get; init; }

    public bool? AnonymousEventMerge { get; init; }

    public IReadOnlyList<string>? BlockedIdentifierValues { get; init; }

    /// <summary>Set to change the rate limit; <see cref="RateLimitPerSecond"/> null then means "the configured default".</summary>
    public bool ChangesRateLimit { get; init; }

    public int? RateLimitPerSecond { get; init; }

    public IReadOnlyList<string>? AllowedOrigins { get; init; }

    /// <summary>What the patch sets, in words, for the audit trail (the settings history keeps each value's before and after).</summary>
    public string Describe()
    {
        string?[] parts =
        [
            Identifiers is { } identifiers ? $"identifiers {identifiers}" : null,
            AllowEmailUpdatesById is { } emailUpdates ? $"allow email updates by id {emailUpdates}" : null,
            ReferencePeopleByCioId is { } byCioId ? $"reference people by cio_id {byCioId}" : null,
            MultiIdentifierMerge is { } multi ? $"multi-identifier merge {multi}" : null,
            AnonymousEventMerge is { } anonymous ? $"anonymous event merge {anonymous}" : null,
            BlockedIdentifierValues is { } blocked ? $"blocked identifier values [{string.Join(", ", blocked)}]" : null,
            AllowedOrigins is { } origins ? $"allowed origins [{string.Join(", ", origins)}]" : null,
            ChangesRateLimit ? $"rate limit {RateLimitPerSecond?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}" : null,
        ];
        var described = string.Join("; ", parts.OfType<string>());
        return described.Length > 0 ? described : "no change";
    }
}

/// <summary>An object a person is related to (<c>cio_relationships</c>), with the relationship's attributes.</summary>
public sealed record RelationshipInput(string ObjectTypeId, string ObjectId, IReadOnlyDictionary<string, AttributeValue> Attributes);

/// <summary>An event: <c>name</c> (page URL, screen name), its data, own time, dedup id and type.</summary>
public sealed record EventInput(string Name, string Type, JsonElement? Data, long? Timestamp, string? EventId)
{
    public const string EventType = "event";
    public const string PageType = "page";
    public const string ScreenType = "screen";
}

public sealed record DeviceInput(string Token, string Platform, long? LastUsed, IReadOnlyDictionary<string, AttributeValue>? Attributes);

/// <summary>Deletes a person and everything attached to them; their entries stay in the workspace log without their data.</summary>
public sealed record DeletePersonOperation(PersonReference Reference) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.LifecycleRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>
/// Suppress: when a live person has the reference, deletes them and suppresses their identifiers as one group;
/// when nobody holds it, suppresses that identifier alone.
/// </summary>
public sealed record SuppressOperation(PersonReference Reference) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.LifecycleRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Takes the whole group of a suppressed identifier (or of a suppressed person's cio_id) off the list.</summary>
public sealed record UnsuppressOperation(PersonReference Reference) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.LifecycleRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>
/// A person's event, page or screen view; an unknown id or email creates the person, as identify would (as a public
/// source's identify would when <paramref name="Public"/>: the browser snippet's events of an identified visitor).
/// </summary>
public sealed record TrackEventOperation(PersonReference Reference, EventInput Event, bool Public = false) : PeopleOperation
{
    internal override long EstimatedBytes => BaseBytes + BytesOf(Event);

    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.EventRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>An anonymous event: never creates a person; joins the person identified with its anonymous_id when the workspace merges them.</summary>
public sealed record TrackAnonymousEventOperation(string? AnonymousId, EventInput Event) : PeopleOperation
{
    internal override long EstimatedBytes => BaseBytes + BytesOf(Event);

    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.EventRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Adds or updates a device by its token; an unknown id or email creates the person.</summary>
public sealed record UpsertDeviceOperation(PersonReference Reference, DeviceInput Device) : PeopleOperation
{
    internal override long EstimatedBytes => BaseBytes + BytesOf(Device.Attributes);

    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.DeviceRules.ApplyAsync(this, session, cancellationToken);
}

public sealed record RemoveDeviceOperation(PersonReference Reference, string Token) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.DeviceRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>A manual merge: the secondary's identifiers, attributes, activity, devices and memberships join the primary. Answers the merge record's id.</summary>
public sealed record MergeOperation(PersonReference Primary, PersonReference Secondary) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.MergeRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Restores the secondary of a merge with its own cio_id, or refuses (Conflict) with the reason.</summary>
public sealed record UndoMergeOperation(long MergeRecordId) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.MergeRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Creates a manual segment; answers its id in <see cref="OperationResult.RecordId"/>.</summary>
public sealed record CreateSegmentOperation(string Name, string? Description) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.SegmentRules.ApplyAsync(this, session, cancellationToken);
}

public sealed record RenameSegmentOperation(int SegmentId, string Name, string? Description) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.SegmentRules.ApplyAsync(this, session, cancellationToken);
}

public sealed record DeleteSegmentOperation(int SegmentId) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.SegmentRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>Adds people to a manual segment; references nobody holds are listed in <see cref="OperationResult.NotFound"/>.</summary>
public sealed record AddToSegmentOperation(int SegmentId, IReadOnlyList<PersonReference> People) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.SegmentRules.ApplyAsync(this, session, cancellationToken);
}

public sealed record RemoveFromSegmentOperation(int SegmentId, IReadOnlyList<PersonReference> People) : PeopleOperation
{
    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.SegmentRules.ApplyAsync(this, session, cancellationToken);
}

/// <summary>
/// Identify from a public source (the hosted form action, the browser snippet): anyone may send it knowing only the
/// site id, so it may create a person and set the referenced person's attributes, and nothing more
/// (<see cref="Rules.PublicSourceRules"/>).
/// </summary>
public sealed record PublicIdentifyOperation(PersonReference Reference, IReadOnlyDictionary<string, AttributeValue> Attributes) : PeopleOperation
{
    private CheckedIdentify? _checked;

    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.PublicSourceRules.ApplyAsync(this, session, cancellationToken);

    internal override void Prepare() => Check();

    internal CheckedIdentify Check()
    {
        if (_checked is null)
        {
            var parsed = IdentifyBody.Parse(Rules.PublicSourceRules.WithoutIgnoredKeys(Attributes), out var body);
            _checked = new CheckedIdentify(OperationValidator.ValidateReference(Reference, "identifier") ?? parsed, body);
        }

        return _checked;
    }

    /// <summary>
    /// The browser snippet's <c>identify({id, email, …})</c>: <c>id</c> is the reference, classified as a path identifier
    /// is (with <c>@</c> in an email_or_id workspace it is an email), else <c>email</c> (email_or_id only); an
    /// <c>email</c> beside an id is a body identifier, and so is the <c>anonymous_id</c> the snippet adds, which brings
    /// the visitor's anonymous activity to the person. Null when the call names no identifier it can reference.
    /// </summary>
    public static PublicIdentifyOperation? FromSnippet(IReadOnlyDictionary<string, AttributeValue> call, IdentifierMode mode)
    {
        var key = Names(call, ReservedKeys.Id) ? ReservedKeys.Id
            : mode == IdentifierMode.EmailOrId && Names(call, ReservedKeys.Email) ? ReservedKeys.Email
            : null;
        if (key is null)
        {
            return null;
        }

        var value = call[key].Text!;
        var reference = key == ReservedKeys.Id ? PersonReference.Classify(value, mode) : PersonReference.ForEmail(value);
        return new PublicIdentifyOperation(reference, call.Where(pair => pair.Key != key).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal));
    }

    private static bool Names(IReadOnlyDictionary<string, AttributeValue> call, string key) =>
        call.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value.Text);
}
