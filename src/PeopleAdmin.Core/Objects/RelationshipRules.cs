using System.Text.Json.Nodes;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Rules;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.Objects;

/// <summary>
/// Relationships between people and objects: the person's side (an identify's <c>cio_relationships</c>, a person's
/// relationship operations), the one place a relationship changes, and what merges and their undo do to them.
/// Deleting or suppressing a person, or deleting an object, removes its relationships by a cascade.
/// </summary>
internal static class RelationshipRules
{
    public static async Task<OperationResult> ApplyAsync(RelatePersonOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;
        var person = await session.Store.FindAsync(workspace.Id, workspace.Settings.Identifiers, operation.Person, ct);
        return person is null
            ? IdentifyRules.Ignore(session, null, LifecycleRules.IgnoredNoPerson, new JsonObject { ["identifier"] = operation.Person.ToString() })
            : await RelateAsync(session, person, operation.Action, operation.Objects, ct);
    }

    /// <summary>An identify's <c>cio_relationships</c>, applied to the person it identified (not when it was ignored or refused).</summary>
    public static async Task<OperationResult> AfterIdentifyAsync(IdentifyOperation operation, OperationResult identified, WriteSession session, CancellationToken ct)
    {
        if (identified is not { Status: OperationStatus.Applied, CioId: { } cioId } || operation.Relationships is not { Count: > 0 } relationships)
        {
            return identified;
        }

        // The identify's person may only be tracked so far: saving gives a new one its row id.
        await session.SaveAsync(ct);
        var person = await session.Store.FindByCioIdAsync(session.Context.WorkspaceId, cioId, ct);
        var related = await RelateAsync(session, person!, operation.RelationshipAction, relationships, ct);
        return related.Status == OperationStatus.Rejected ? related : identified with { NotFound = related.NotFound };
    }

    private static async Task<OperationResult> RelateAsync(
        WriteSession session, Person person, RelationshipAction action, IReadOnlyList<RelationshipInput> objects, CancellationToken ct)
    {
        var store = new ObjectStore(session);
        var notFound = new List<string>();
        for (var i = 0; i < objects.Count; i++)
        {
            var input = objects[i];
            ObjectValidator.TryTypeId(input.ObjectTypeId, out var typeId);
            var type = await store.FindTypeAsync(person.WorkspaceId, typeId, ct);
            if (type is null)
            {
                return ObjectRules.UnknownType($"cio_relationships[{i}].identifiers.object_type_id", input.ObjectTypeId);
            }

            var target = await store.FindObjectAsync(person.WorkspaceId, type.Id, input.ObjectId, ct);
            if (target is null)
            {
                notFound.Add($"{input.ObjectTypeId}/{input.ObjectId}");
                session.Log(ActivityTypes.RequestIgnored, person, new JsonObject
                {
                    ["reason"] = "a relationship names an object that does not exist",
                    ["object_type_id"] = input.ObjectTypeId,
                    ["object_id"] = input.ObjectId,
                }.ToJsonString());
                continue;
            }

            var field = $"cio_relationships[{i}].relationship_attributes";
            if (await ChangeAsync(store, session, target, type, person, action, input.Attributes, field, ct) is { } error)
            {
                return new OperationResult(OperationStatus.Rejected) { Error = error };
            }
        }

        return new OperationResult(OperationStatus.Applied) { CioId = person.CioId, NotFound = notFound };
    }

    /// <summary>
    /// The one place a relationship changes: added (or its attributes merged, <c>null</c> or <c>""</c> removing one) or
    /// removed, each actual change logged on the person. Answers the limit a merge of attributes would break.
    /// </summary>
    internal static async Task<RequestError?> ChangeAsync(
        ObjectStore store, WriteSession session, WorkspaceObject target, ObjectType type, Person person,
        RelationshipAction action, IReadOnlyDictionary<string, AttributeValue> attributes, string field, CancellationToken ct)
    {
        var existing = await store.FindRelationshipAsync(target, person, ct);
        string change;
        if (action == RelationshipAction.Delete)
        {
            if (existing is null)
            {
                return null;
            }

            store.RemoveRelationship(existing);
            change = "removed";
        }
        else
        {
            if (ObjectAttributes.Merge(existing?.Attributes ?? ObjectAttributes.Empty, attributes, field, out var merged) is { } tooMuch)
            {
                return tooMuch;
            }

            if (existing is null)
            {
                store.AddRelationship(new Relationship
                {
                    ObjectRowId = target.Id, PersonId = person.Id, WorkspaceId = person.WorkspaceId, Attributes = merged, CreatedMs = session.NowMs, UpdatedMs = session.NowMs,
                });
                change = "added";
            }
            else if (merged != existing.Attributes)
            {
                store.Changed();
                existing.Attributes = merged;
                existing.UpdatedMs = session.NowMs;
                change = "updated";
            }
            else
            {
                return null;
            }
        }

        session.Log(ObjectActivityTypes.RelationshipChange, person, new JsonObject
        {
            ["object_type_id"] = ObjectRules.Text(type.TypeId),
            ["object_type"] = type.Name,
            ["object_id"] = target.ObjectId,
            ["action"] = change,
        }.ToJsonString());
        return null;
    }

    /// <summary>
    /// A merge: the secondary's relationships move to the primary; where both relate to the same object, the primary's
    /// relationship attributes win and the secondary's fill what the primary lacks (unless that would break a limit).
    /// Answers what undo needs, or null when the secondary had none.
    /// </summary>
    public static async Task<RelationshipsMerged?> MergeAsync(WriteSession session, Person primary, Person secondary, CancellationToken ct)
    {
        var store = new ObjectStore(session);
        var theirs = await store.RelationshipsOfAsync(secondary, ct);
        if (theirs.Count == 0)
        {
            return null;
        }

        var ours = (await store.RelationshipsOfAsync(primary, ct)).ToDictionary(r => r.ObjectRowId);
        var merged = new RelationshipsMerged([.. theirs.Select(r => new RelationshipSnapshot(r.ObjectRowId, r.Attributes, r.CreatedMs))], [], []);
        foreach (var relationship in theirs)
        {
            if (ours.TryGetValue(relationship.ObjectRowId, out var own))
            {
                var given = ObjectAttributes.Parse(relationship.Attributes);
                var owned = ObjectAttributes.Parse(own.Attributes);
                foreach (var name in owned.Select(pair => pair.Key).ToList())
                {
                    given.Remove(name);
                }

                var filled = ObjectAttributes.Read(ObjectAttributes.Write(given)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
                if (filled.Count > 0 && ObjectAttributes.Merge(own.Attributes, filled, "", out var fuller) is null)
                {
                    store.Changed();
                    own.Attributes = fuller;
                    own.UpdatedMs = session.NowMs;
                    merged.Filled.Add(new RelationshipSnapshot(own.ObjectRowId, ObjectAttributes.Write(given), own.CreatedMs));
                }
            }
            else
            {
                store.AddRelationship(new Relationship
                {
                    ObjectRowId = relationship.ObjectRowId, PersonId = primary.Id, WorkspaceId = primary.WorkspaceId,
                    Attributes = relationship.Attributes, CreatedMs = relationship.CreatedMs, UpdatedMs = session.NowMs,
                });
                merged.Added.Add(relationship.ObjectRowId);
            }

            store.RemoveRelationship(relationship);
        }

        return merged;
    }

    /// <summary>
    /// Undo of a merge: the primary loses the relationships and attributes the merge gave it, except those changed since
    /// (answered, for the undo's entry); the restored secondary gets its own back, to the objects that still exist.
    /// </summary>
    public static async Task<List<string>> UndoMergeAsync(WriteSession session, RelationshipsMerged? merged, Person primary, Person restored, CancellationToken ct)
    {
        var kept = new List<string>();
        if (merged is null)
        {
            return kept;
        }

        var store = new ObjectStore(session);
        var ours = (await store.RelationshipsOfAsync(primary, ct)).ToDictionary(r => r.ObjectRowId);
        var objects = (await store.FindObjectsAsync(primary.WorkspaceId, [.. merged.Secondary.Select(s => s.ObjectRowId)], ct)).ToDictionary(o => o.Id);
        foreach (var added in merged.Added)
        {
            var given = merged.Secondary.First(s => s.ObjectRowId == added);
            if (ours.TryGetValue(added, out var own))
            {
                if (own.Attributes == given.Attributes)
                {
                    store.RemoveRelationship(own);
                }
                else
                {
                    kept.Add(Describe(objects, added));
                }
            }
        }

        foreach (var filled in merged.Filled)
        {
            if (!ours.TryGetValue(filled.ObjectRowId, out var own))
            {
                continue;
            }

            var current = ObjectAttributes.Parse(own.Attributes);
            foreach (var (name, value) in ObjectAttributes.Parse(filled.Attributes))
            {
                if (current[name] is { } now && JsonNode.DeepEquals(now, value))
                {
                    current.Remove(name);
                }
                else if (current.ContainsKey(name))
                {
                    kept.Add($"{Describe(objects, filled.ObjectRowId)}.{name}");
                }
            }

            store.Changed();
            own.Attributes = ObjectAttributes.Write(current);
        }

        foreach (var relationship in merged.Secondary.Where(s => objects.ContainsKey(s.ObjectRowId)))
        {
            store.AddRelationship(new Relationship
            {
                ObjectRowId = relationship.ObjectRowId, PersonId = restored.Id, WorkspaceId = restored.WorkspaceId,
                Attributes = relationship.Attributes, CreatedMs = relationship.CreatedMs, UpdatedMs = session.NowMs,
            });
        }

        return kept;
    }

    private static string Describe(Dictionary<long, WorkspaceObject> objects, long rowId) =>
        objects.TryGetValue(rowId, out var found) ? $"relationship {found.CioObjectId}" : "relationship";
}

/// <summary>What a merge did to relationships, kept in the merge record for its undo.</summary>
internal sealed record RelationshipsMerged(List<RelationshipSnapshot> Secondary, List<long> Added, List<RelationshipSnapshot> Filled);

internal sealed record RelationshipSnapshot(long ObjectRowId, string Attributes, long CreatedMs);
