using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// Applies one operation's changes to people (identifiers by rule 3, attributes by rule 4, <c>_timestamp</c>)
/// and collects what happened, so that each decision leaves its activity entry.
/// </summary>
internal sealed class PersonEditor(WriteSession session, Workspace workspace, long? timestamp)
{
    public const string ReasonOtherProfile = "the identifier is already associated with a different profile";
    public const string ReasonKeepOne = "a person keeps at least one identifier";
    public const string ReasonBlocked = "the value is blocked as an identifier in this workspace";
    public const string ReasonCioPrefix = "an id may not start with \"cio_\"";
    public const string ReasonPathWins = "the path names a different value of this identifier; the path wins";
    public const string ReasonSkipped = "a newer change of this value was already applied (by _timestamp)";

    private readonly EntryData _changes = new("from", "to");
    private readonly EntryData _failed = new("reason", "value");
    private readonly EntryData _skipped = new("value", "reason");
    private readonly List<FailedAttributeChange> _failedList = [];
    private readonly List<string> _skippedList = [];

    public WriteSession Session { get; } = session;

    public Workspace Workspace { get; } = workspace;

    public WorkspaceSettings Settings => Workspace.Settings;

    public long NowMs { get; } = session.NowMs;

    /// <summary>The time of this write: its <c>_timestamp</c>, else the server's time.</summary>
    public long WriteMs => timestamp is { } seconds ? seconds * 1000 : NowMs;

    public long? Timestamp => timestamp;

    public IReadOnlyList<FailedAttributeChange> FailedChanges => _failedList;

    public IReadOnlyList<string> SkippedUpdates => _skippedList;

    public bool HasChanges => _changes.Count > 0;

    /// <summary>When set: the two people of an automatic merge (<see cref="SeedRules.AutomaticMergeApplies"/>).</summary>
    public (Person IdPerson, Person EmailPerson)? MergeCandidate { get; private set; }

    public void Fail(IdentifierKind kind, string? value, string reason)
    {
        var name = Name(kind);
        _failedList.Add(new FailedAttributeChange(name, value ?? "", reason));
        _failed.Set(name, reason, value);
    }

    public void Changed(string name, string? from, string? to) =>
        _changes.Set(name, from, to);

    private void Skip(string name, string? value)
    {
        _skippedList.Add(name);
        _skipped.Set(name, value, ReasonSkipped);
    }

    public static string Name(IdentifierKind kind) => kind == IdentifierKind.Id ? ReservedKeys.Id : ReservedKeys.Email;

    public static string? ValueOf(Person person, IdentifierKind kind) => kind == IdentifierKind.Id ? person.ExternalId : person.Email;

    public static bool Same(IdentifierKind kind, string a, string b) => kind == IdentifierKind.Id
        ? string.Equals(a, b, StringComparison.Ordinal)
        : string.Equals(Person.NormalizeEmail(a), Person.NormalizeEmail(b), StringComparison.Ordinal);

    /// <summary>Why a value cannot be an identifier (blocked, cio_ prefix), or null.</summary>
    public string? Unacceptable(IdentifierKind kind, string value)
    {
        if (SeedRules.IsBlocked(Settings, value))
        {
            return ReasonBlocked;
        }

        if (TextRules.IdentifierProblem(value) is { } unreadable)
        {
            return unreadable;
        }

        return kind == IdentifierKind.Id && value.StartsWith(PersonReference.CioPrefix, StringComparison.Ordinal) ? ReasonCioPrefix : null;
    }

    /// <summary>Sets an identifier on a new person (no rule 3 needed: nobody holds it, checked by the caller).</summary>
    public void SetIdentifier(Person person, IdentifierKind kind, string? value)
    {
        var from = ValueOf(person, kind);
        if (kind == IdentifierKind.Id)
        {
            PersonFields.SetId(person, value, WriteMs);
        }
        else
        {
            PersonFields.SetEmail(person, value, Settings, WriteMs);
        }

        Changed(Name(kind), from, value);
        person.UpdatedMs = NowMs;
    }

    /// <summary>In <c>id_only</c>, email is an ordinary attribute: it changes freely (still subject to <c>_timestamp</c>).</summary>
    public void SetPlainEmail(Person person, string? value)
    {
        if (value == person.Email)
        {
            return;
        }

        if (person.EmailChangedMs is { } changed && changed > WriteMs)
        {
            Skip(ReservedKeys.Email, value);
            return;
        }

        var from = person.Email;
        PersonFields.SetEmail(person, value, Settings, WriteMs);
        person.UpdatedMs = NowMs;
        Changed(ReservedKeys.Email, from, value);
    }

    /// <summary>Rule 3: one identifier of the request on the person being updated.</summary>
    public async Task ApplyIdentifierAsync(Person target, IdentifierKind kind, string? value, ReferenceKind referencedBy, CancellationToken ct)
    {
        var current = ValueOf(target, kind);
        if (value is null)
        {
            if (current is null)
            {
                return;
            }

            if (ChangeRefusal(kind, referencedBy) is { } refusal)
            {
                Fail(kind, value, refusal);
                return;
            }

            var other = kind == IdentifierKind.Id ? IdentifierKind.Email : IdentifierKind.Id;
            var keepsOne = Settings.Identifiers == IdentifierMode.EmailOrId ? ValueOf(target, other) is not null : kind != IdentifierKind.Id;
            if (!keepsOne)
            {
                Fail(kind, value, ReasonKeepOne);
                return;
            }

            if (ChangedMs(target, kind) > WriteMs)
            {
                Skip(Name(kind), value);
                return;
            }

            SetIdentifier(target, kind, null);
            return;
        }

        if (Unacceptable(kind, value) is { } unacceptable)
        {
            Fail(kind, value, unacceptable);
            return;
        }

        if (current is not null && Same(kind, current, value))
        {
            return;
        }

        var holder = await Session.Store.FindByIdentifierAsync(Workspace.Id, kind, value, ct);
        if (holder is not null && holder.Id != target.Id)
        {
            Fail(kind, value, ReasonOtherProfile);
            var idPerson = kind == IdentifierKind.Id ? holder : target;
            var emailPerson = kind == IdentifierKind.Email ? holder : target;
            if (SeedRules.AutomaticMergeApplies(Settings, referencedBy, idPerson, emailPerson))
            {
                MergeCandidate = (idPerson, emailPerson);
            }

            return;
        }

        if (current is not null && ChangeRefusal(kind, referencedBy) is { } refused)
        {
            Fail(kind, value, refused);
            return;
        }

        if (ChangedMs(target, kind) > WriteMs)
        {
            Skip(Name(kind), value);
            return;
        }

        SetIdentifier(target, kind, value);
    }

    private static long? ChangedMs(Person person, IdentifierKind kind) => kind == IdentifierKind.Id ? person.ExternalIdChangedMs : person.EmailChangedMs;

    private string? ChangeRefusal(IdentifierKind kind, ReferenceKind referencedBy) =>
        SeedRules.SetIdentifierChangeRefusal(Session.Context.Source, kind, referencedBy, Settings);

    /// <summary>
    /// Rule 4: custom attributes, <c>created_at</c>, <c>unsubscribed</c>; then the per-person limit. A person created by
    /// this operation has no attributes yet, so none are read.
    /// </summary>
    public async Task<RequestError?> ApplyAttributesAsync(Person person, IdentifyBody body, bool createdNow, CancellationToken ct)
    {
        ApplyFields(person, body);
        if (body.Attributes.Count == 0)
        {
            return null;
        }

        var attributes = createdNow ? new Dictionary<string, PersonAttribute>(StringComparer.Ordinal) : await Session.Store.LoadAttributesAsync(person, ct);
        ApplyAttributes(person, body, attributes, new StoreWrites(Session.Store));
        var custom = attributes.Keys.Count(k => !ReservedKeys.IsReserved(k));
        return custom > Limits.CustomAttributes
            ? OperationValidator.Invalid("attributes", $"the person would have {custom} custom attributes; the limit is {Limits.CustomAttributes} per person")
            : null;
    }

    /// <summary>Rule 4's fields of the person: <c>created_at</c> and <c>unsubscribed</c>, each subject to <c>_timestamp</c>.</summary>
    public void ApplyFields(Person person, IdentifyBody body)
    {
        if (body.CreatedAt is { } createdAt && createdAt != person.CreatedAt)
        {
            if (person.CreatedAtChangedMs > WriteMs)
            {
                Skip(ReservedKeys.CreatedAt, PersonFields.Text(createdAt));
            }
            else
            {
                Changed(ReservedKeys.CreatedAt, PersonFields.Text(person.CreatedAt), PersonFields.Text(createdAt));
                PersonFields.SetCreatedAt(person, createdAt, WriteMs);
                person.UpdatedMs = NowMs;
            }
        }

        if (body.Unsubscribed is { } unsubscribed && unsubscribed != person.Unsubscribed)
        {
            if (person.UnsubscribedChangedMs > WriteMs)
            {
                Skip(ReservedKeys.Unsubscribed, unsubscribed ? "true" : "false");
            }
            else
            {
                Changed(ReservedKeys.Unsubscribed, person.Unsubscribed ? "true" : "false", unsubscribed ? "true" : "false");
                PersonFields.SetUnsubscribed(person, unsubscribed, WriteMs);
                person.UpdatedMs = NowMs;
            }
        }
    }

    /// <summary>Rule 4's custom attributes on the person's <paramref name="attributes"/> (as read, by name), each write told to <paramref name="writes"/>.</summary>
    public void ApplyAttributes(Person person, IdentifyBody body, Dictionary<string, PersonAttribute> attributes, IAttributeWrites writes)
    {
        foreach (var (name, value) in body.Attributes)
        {
            attributes.TryGetValue(name, out var existing);
            if (!Applies(existing))
            {
                Skip(name, value.Text);
                continue;
            }

            if (value.IsRemoval)
            {
                if (existing is not null)
                {
                    writes.Removed(existing);
                    attributes.Remove(name);
                    Changed(name, existing.TextValue, null);
                    person.UpdatedMs = NowMs;
                }

                continue;
            }

            var added = existing is null;
            if (existing is not null && existing.Type == value.Type && existing.TextValue == value.Text)
            {
                continue;
            }

            Changed(name, existing?.TextValue, value.Text);
            existing ??= attributes[name] = new PersonAttribute { PersonId = person.Id, WorkspaceId = person.WorkspaceId, Name = name, TextValue = "" };
            existing.Type = value.Type!.Value;
            existing.TextValue = value.Text!;
            existing.NumberValue = value.Number;
            existing.SetMs = NowMs;
            existing.Timestamp = Timestamp;
            person.UpdatedMs = NowMs;
            writes.Set(existing, added);
        }
    }

    /// <summary>
    /// How many custom attributes the person would have after <see cref="ApplyAttributes"/> applied the body to
    /// <paramref name="attributes"/>, without applying it: for a writer that must refuse an item before it writes.
    /// </summary>
    public int CustomAttributesAfter(IdentifyBody body, Dictionary<string, PersonAttribute> attributes)
    {
        var custom = attributes.Keys.Count(k => !ReservedKeys.IsReserved(k));
        if (custom + body.Attributes.Count <= Limits.CustomAttributes)
        {
            return custom;
        }

        var names = new HashSet<string>(attributes.Keys, StringComparer.Ordinal);
        foreach (var (name, value) in body.Attributes)
        {
            if (Applies(attributes.GetValueOrDefault(name)))
            {
                _ = value.IsRemoval ? names.Remove(name) : names.Add(name);
            }
        }

        return names.Count(k => !ReservedKeys.IsReserved(k));
    }

    /// <summary>Whether this write changes the attribute: it is new, or its last change is not newer than this write.</summary>
    private bool Applies(PersonAttribute? existing) => existing is null || !IsNewer(existing);

    /// <summary>An attribute whose last change (its <c>_timestamp</c>, else the server's time of it) is newer than this write keeps its value.</summary>
    private bool IsNewer(PersonAttribute attribute) => (attribute.Timestamp is { } t ? t * 1000 : attribute.SetMs) > WriteMs;

    /// <summary>Writes the entries this operation's decisions call for, on the person (through <paramref name="insert"/> where given, else the store).</summary>
    public void Log(Person person, Action<Activity>? insert = null)
    {
        LogIfAny(ActivityTypes.AttributeChange, _changes);
        LogIfAny(ActivityTypes.FailedAttributeChange, _failed);
        LogIfAny(ActivityTypes.SkippedUpdate, _skipped);

        void LogIfAny(string type, EntryData data)
        {
            if (data.Count > 0)
            {
                (insert ?? Session.Store.AddActivity)(Session.Entry(type, person, data.ToJsonString()));
            }
        }
    }

    /// <summary>Forgets what was logged (the results keep the failed and skipped lists).</summary>
    public void ClearLog()
    {
        _changes.Clear();
        _failed.Clear();
        _skipped.Clear();
    }

    public OperationResult Result(Person person, bool created) => new(OperationStatus.Applied)
    {
        CioId = person.CioId,
        Created = created,
        FailedChanges = [.. _failedList],
        SkippedUpdates = [.. _skippedList],
    };

    /// <summary>The rules' writes of attributes: through the store, whose change tracking sees a changed attribute by itself.</summary>
    private sealed class StoreWrites(Store.PeopleStore store) : IAttributeWrites
    {
        public void Set(PersonAttribute attribute, bool added)
        {
            if (added)
            {
                store.AddAttribute(attribute);
            }
        }

        public void Removed(PersonAttribute attribute) => store.RemoveAttribute(attribute);
    }
}

/// <summary>Where <see cref="PersonEditor.ApplyAttributes"/> says what it wrote: an attribute set (new or changed, its values in place) or removed.</summary>
internal interface IAttributeWrites
{
    void Set(PersonAttribute attribute, bool added);

    void Removed(PersonAttribute attribute);
}
