using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Imports;

/// <summary>
/// The columns of object and relationship imports. An object row is its <c>object_id</c> and the object's attributes
/// (every other column, <c>id</c> and <c>email</c> included); a relationship row is a person's identifier (the import's
/// <c>identifier</c> column), an <c>object_id</c>, and the relationship's own attributes (every other column but the
/// other identifier, which says nothing about the relationship). Values read as in a people import: a cell of a
/// number's form is a JSON number, so that greater and less compare it as one.
/// </summary>
public sealed partial class ImportColumns
{
    public const string ObjectIdName = "object_id";

    /// <summary>The column of the object's id in an object or relationship import, or -1.</summary>
    public int ObjectIdColumn { get; }

    private static ImportOptionsProblem? ObjectsProblem(ImportColumns plan, ImportOptions options)
    {
        if (!options.IsOfObjects)
        {
            return null;
        }

        if (plan.ObjectIdColumn < 0)
        {
            return new ImportOptionsProblem("file", $"{(options.Type == ImportType.Object ? "an object" : "a relationship")} import needs a column \"object_id\" with each object's id (or a column mapped to \"attribute:object_id\")");
        }

        var objectIds = Enumerable.Range(0, plan.Roles.Count).Where(i => plan.Roles[i] is { Role: ColumnRole.Attribute, Attribute: ObjectIdName }).ToList();
        if (objectIds.Count > 1)
        {
            return new ImportOptionsProblem("options.mapping", $"columns {string.Join(" and ", objectIds.Select(i => $"\"{plan.Names[i]}\""))} are both the object_id; map one of them to another attribute or ignore it");
        }

        return options.Type == ImportType.Object && Enumerable.Range(0, plan.Roles.Count).FirstOrDefault(i => plan.Roles[i].Role is ColumnRole.Id or ColumnRole.Email, -1) is var mapped and >= 0
            ? new ImportOptionsProblem($"options.mapping.{plan.Names[mapped]}", "an object import has no person identifier: map the column to an attribute or ignore it")
            : null;
    }

    private ImportRow MapObject(ImportRecord record)
    {
        var objectId = Cell(record.Cells, ObjectIdColumn).Trim();
        if (objectId.Length == 0)
        {
            return ImportRow.Fail(record.Row, Names[ObjectIdColumn], "", "the row has no object_id");
        }

        var reference = ObjectReference.For(ObjectTypeText, objectId);
        return ImportRow.Apply(record.Row, Names[ObjectIdColumn], new IdentifyObjectOperation(reference, ObjectAttributesOf(record, skip: -1)));
    }

    private ImportRow MapRelationship(ImportRecord record, string identifier)
    {
        var objectId = Cell(record.Cells, ObjectIdColumn).Trim();
        if (objectId.Length == 0)
        {
            return ImportRow.Fail(record.Row, Names[ObjectIdColumn], "", "the row has no object_id");
        }

        var person = _options.Identifier == IdentifierKind.Id ? PersonReference.ForId(identifier) : PersonReference.ForEmail(identifier);
        var relationship = new RelationshipInput(ObjectTypeText, objectId, ObjectAttributesOf(record, skip: IdentifierColumn));
        return ImportRow.Apply(record.Row, Names[IdentifierColumn], new RelatePersonOperation(person, RelationshipAction.Add, [relationship]));
    }

    private string ObjectTypeText => _options.ObjectTypeId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The attribute columns of a row (not the object's id, nor <paramref name="skip"/>); an empty cell removes the attribute when the import says so.</summary>
    private Dictionary<string, AttributeValue> ObjectAttributesOf(ImportRecord record, int skip)
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        for (var i = 0; i < Names.Count; i++)
        {
            if (i == ObjectIdColumn || i == skip || Roles[i].Role != ColumnRole.Attribute)
            {
                continue;
            }

            var text = Cell(record.Cells, i);
            if (text.Length > 0)
            {
                attributes[Roles[i].Attribute!] = Value(text);
            }
            else if (_options.EmptyValues == EmptyValues.Remove)
            {
                attributes[Roles[i].Attribute!] = AttributeValue.Remove;
            }
        }

        return attributes;
    }
}
