using System.Text.Json.Nodes;
using PeopleAdmin.Core.People.Writing;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>
/// The public sources of identity-rules.md: the hosted form action and the browser snippet, which anyone can call
/// knowing only the site id. Such a write may create a person with every identifier it names and set the referenced
/// person's attributes, but it never adds an identifier to a person who exists, never changes or clears one, never
/// references by cio_id, never triggers the automatic merge, ignores a request naming a suppressed identifier
/// without suppressing anything more, and ignores the reserved keys a visitor could abuse.
/// </summary>
internal static class PublicSourceRules
{
    public const string ReasonExistingPerson = "a public source never adds or changes an identifier of a person who exists";

    /// <summary>Reserved keys a public source may not use (and <c>cio_id</c>: it never references by cio_id).</summary>
    public static readonly IReadOnlySet<string> IgnoredKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        ReservedKeys.Unsubscribed, ReservedKeys.Timestamp, ReservedKeys.Update, ReservedKeys.Relationships, ReservedKeys.CreatedAt, ReservedKeys.CioId,
    };

    public static IReadOnlyDictionary<string, AttributeValue> WithoutIgnoredKeys(IReadOnlyDictionary<string, AttributeValue> body) =>
        body.Keys.Any(IgnoredKeys.Contains)
            ? body.Where(pair => !IgnoredKeys.Contains(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal)
            : body;

    public static async Task<OperationResult> ApplyAsync(PublicIdentifyOperation operation, WriteSession session, CancellationToken ct)
    {
        var (invalid, body) = operation.Check();
        if (invalid is not null)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = invalid };
        }

        var workspace = await session.FindWorkspaceAsync(ct);
        if (workspace is null)
        {
            return IdentifyRules.NoWorkspace(session);
        }

        var mode = workspace.Settings.Identifiers;
        var reference = IdentifyRules.Normalize(operation.Reference, mode);
        if (reference.Kind == ReferenceKind.CioId)
        {
            return OperationResult.Rejected(ErrorKind.Invalid, "identifier", "a public source never references people by cio_id");
        }

        if (SeedRules.IsBlocked(workspace.Settings, reference.Value))
        {
            return OperationResult.Rejected(ErrorKind.Invalid, "identifier", $"\"{reference.Value}\" is a blocked value and is never accepted as an identifier");
        }

        var path = (Kind: PersonReference.KindOf(reference.Kind), Value: (string?)reference.Value);
        var others = new List<(IdentifierKind Kind, string? Value)>();
        if (body.HasId)
        {
            others.Add((IdentifierKind.Id, body.Id));
        }

        if (body.HasEmail && mode == IdentifierMode.EmailOrId)
        {
            others.Add((IdentifierKind.Email, body.Email));
        }

        // Rule 2's spreading of suppressions is for authenticated sources: a visitor must not be able to suppress anyone.
        var named = new List<(IdentifierKind Kind, string Value)> { (path.Kind, path.Value!) };
        named.AddRange(others.Where(o => o.Value is not null).Select(o => (o.Kind, o.Value!)));
        var suppressed = await session.Store.FindSuppressionsAsync(workspace.Id, named, ct);
        if (suppressed.Count > 0)
        {
            return IdentifyRules.Ignore(session, null, IdentifyRules.IgnoredSuppressed, new JsonObject { ["suppressed"] = new JsonArray([.. suppressed.Select(s => (JsonNode?)JsonValue.Create(s.Value))]) });
        }

        var editor = new PersonEditor(session, workspace, timestamp: null);
        var target = await session.Store.FindByIdentifierAsync(workspace.Id, path.Kind, path.Value!, ct);
        if (target is not null)
        {
            foreach (var (kind, value) in others)
            {
                var current = PersonEditor.ValueOf(target, kind);
                if (value is null ? current is not null : current is null || !PersonEditor.Same(kind, current, value))
                {
                    editor.Fail(kind, value, ReasonExistingPerson);
                }
            }

            return await FinishAsync(editor, target, body, created: false, ct);
        }

        var person = session.Store.NewPerson(workspace, editor.NowMs);
        editor.SetIdentifier(person, path.Kind, path.Value);
        foreach (var (kind, value) in others.Where(o => o.Value is not null))
        {
            if (kind == path.Kind)
            {
                if (!PersonEditor.Same(kind, value!, path.Value!))
                {
                    editor.Fail(kind, value, PersonEditor.ReasonPathWins);
                }
            }
            else if (editor.Unacceptable(kind, value!) is { } reason)
            {
                editor.Fail(kind, value, reason);
            }
            else if (await session.Store.FindByIdentifierAsync(workspace.Id, kind, value!, ct) is not null)
            {
                editor.Fail(kind, value, PersonEditor.ReasonOtherProfile);
            }
            else
            {
                editor.SetIdentifier(person, kind, value);
            }
        }

        await IdentifyRules.CreateAsync(session, person, ct);
        return await FinishAsync(editor, person, body, created: true, ct);
    }

    private static async Task<OperationResult> FinishAsync(PersonEditor editor, Person target, IdentifyBody body, bool created, CancellationToken ct)
    {
        if (body.HasEmail && editor.Settings.Identifiers == IdentifierMode.IdOnly)
        {
            editor.SetPlainEmail(target, body.Email);
        }

        if (await editor.ApplyAttributesAsync(target, body, created, ct) is { } tooMany)
        {
            return new OperationResult(OperationStatus.Rejected) { Error = tooMany };
        }

        if (body.AnonymousId is not null)
        {
            await EventRules.AttachAnonymousEventsAsync(editor.Session, editor.Settings, target, body.AnonymousId, ct);
        }

        editor.Log(target);
        return editor.Result(target, created);
    }
}
