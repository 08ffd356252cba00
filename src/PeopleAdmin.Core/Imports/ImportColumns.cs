using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Imports;

/// <summary>
/// What each column of a source is under an import's options, and how a row becomes an operation of the identity
/// service. By default a column named <c>id</c> or <c>email</c> is that identifier, and every other column an
/// attribute of the same (case-sensitive) name; the options' mapping overrides any column. In an event import
/// <c>name</c> and <c>timestamp</c> are the event's, and the other columns its data.
/// </summary>
public sealed partial class ImportColumns
{
    public const string EventName = "name";
    public const string EventTimestamp = "timestamp";

    private readonly ImportOptions _options;
    private readonly IdentifierMode _mode;

    private ImportColumns(ImportOptions options, IdentifierMode mode, IReadOnlyList<string> names, ColumnMapping[] roles)
    {
        _options = options;
        _mode = mode;
        Names = names;
        Roles = roles;
        IdentifierColumn = Array.FindIndex(roles, r => r.Role == (options.Identifier == IdentifierKind.Email ? ColumnRole.Email : ColumnRole.Id));
        OtherIdentifierColumn = Array.FindIndex(roles, r => r.Role == (options.Identifier == IdentifierKind.Email ? ColumnRole.Id : ColumnRole.Email));
        NameColumn = options.Type == ImportType.Event ? IndexOf(names, roles, EventName) : -1;
        TimestampColumn = options.Type == ImportType.Event ? IndexOf(names, roles, EventTimestamp) : -1;
        ObjectIdColumn = options.IsOfObjects ? Array.FindIndex(roles, r => r is { Role: ColumnRole.Attribute, Attribute: ObjectIdName }) : -1;
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<ColumnMapping> Roles { get; }

    public int IdentifierColumn { get; }

    /// <summary>The column of the other identifier kind, or -1.</summary>
    public int OtherIdentifierColumn { get; }

    public int NameColumn { get; }

    public int TimestampColumn { get; }

    /// <summary>
    /// The plan for a source's columns, or what makes the file unusable as a whole: no columns, a column named twice,
    /// no identifier column, two columns for one identifier, a mapping naming a column the file lacks, an event file
    /// without a <c>name</c> column.
    /// </summary>
    public static ImportOptionsProblem? TryPlan(IReadOnlyList<string> names, ImportOptions options, IdentifierMode mode, out ImportColumns? columns)
    {
        columns = null;
        if (names.Count == 0 || (names.Count == 1 && names[0].Length == 0))
        {
            return new ImportOptionsProblem("file", "the file is empty: its first row must name the columns");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!seen.TryAdd(names[i], i))
            {
                return new ImportOptionsProblem("file", $"the header names column \"{names[i]}\" twice (columns {seen[names[i]] + 1} and {i + 1}); column names must be unique");
            }
        }

        if (options.Mapping.Keys.FirstOrDefault(c => !seen.ContainsKey(c)) is { } missing)
        {
            return new ImportOptionsProblem($"options.mapping.{missing}", $"the file has no column \"{missing}\"; its columns are {string.Join(", ", names.Select(n => $"\"{n}\""))}");
        }

        var roles = names.Select(name => options.Mapping.TryGetValue(name, out var mapped) ? mapped : ByName(name, options.Type)).ToArray();
        foreach (var role in new[] { ColumnRole.Id, ColumnRole.Email })
        {
            var holders = Enumerable.Range(0, roles.Length).Where(i => roles[i].Role == role).ToList();
            if (holders.Count > 1)
            {
                return new ImportOptionsProblem("options.mapping", $"columns {string.Join(" and ", holders.Select(i => $"\"{names[i]}\""))} are both mapped to {(role == ColumnRole.Id ? "id" : "email")}; map one of them to an attribute or ignore it");
            }
        }

        var identifier = options.Identifier == IdentifierKind.Email ? "email" : "id";
        var plan = new ImportColumns(options, mode, names, roles);
        if (ObjectsProblem(plan, options) is { } objectsProblem)
        {
            return objectsProblem;
        }

        if (plan.IdentifierColumn < 0 && options.Type != ImportType.Object)
        {
            return new ImportOptionsProblem("options.identifier", $"the import's identifier is {identifier}, and no column is: name a column \"{identifier}\" or map one to \"{identifier}\"");
        }

        if (options.Type == ImportType.Event && plan.NameColumn < 0)
        {
            return new ImportOptionsProblem("file", "an event import needs a column \"name\" with each event's name");
        }

        columns = plan;
        return null;
    }

    internal static ColumnMapping ByName(string name, ImportType type) => name switch
    {
        _ when type == ImportType.Object => new ColumnMapping(ColumnRole.Attribute, name),
        ReservedKeys.Id => new ColumnMapping(ColumnRole.Id),
        ReservedKeys.Email => new ColumnMapping(ColumnRole.Email),

        // The keys identify interprets (cio_id, _update, _timestamp, ...) would change what a row means; only created_at
        // and unsubscribed, which people's profiles show, are taken from a file by name.
        _ when type == ImportType.People && ReservedKeys.IsReserved(name) && name is not (ReservedKeys.CreatedAt or ReservedKeys.Unsubscribed) => new ColumnMapping(ColumnRole.Ignore),
        _ => new ColumnMapping(ColumnRole.Attribute, name),
    };

    private static int IndexOf(IReadOnlyList<string> names, ColumnMapping[] roles, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name && roles[i].Role == ColumnRole.Attribute)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// A row as an identify (people) or an event, or the problem that fails it before the identity service sees it: a
    /// ragged row, a missing or invalid identifier, an event without a name or with a time that is not unix seconds.
    /// Limits (lengths, counts) are the identity service's to check, as for every other way in.
    /// </summary>
    public ImportRow Map(ImportRecord record)
    {
        var cells = record.Cells;
        if (cells.Length != Names.Count)
        {
            return cells.Length == 1 && cells[0].Length == 0
                ? ImportRow.Skip(record.Row, "", "", "the row is empty")
                : ImportRow.Fail(record.Row, "", "", $"the row has {cells.Length} cells and the header {Names.Count} columns; a value holding the delimiter must be quoted");
        }

        if (_options.Type == ImportType.Object)
        {
            return MapObject(record);
        }

        var identifierName = Names[IdentifierColumn];
        var identifier = Cell(cells, IdentifierColumn).Trim();
        if (identifier.Length == 0)
        {
            return ImportRow.Fail(record.Row, identifierName, "", $"the row has no {KindName(_options.Identifier)}, the import's identifier");
        }

        if (_options.Identifier == IdentifierKind.Email && !IsEmail(identifier))
        {
            return ImportRow.Fail(record.Row, identifierName, identifier, "is not an email address");
        }

        return _options.Type switch
        {
            ImportType.Event => MapEvent(record, identifier),
            ImportType.Relationship => MapRelationship(record, identifier),
            _ => MapPerson(record, identifier),
        };
    }

    private ImportRow MapPerson(ImportRecord record, string identifier)
    {
        var cells = record.Cells;
        // Sized once: a row allocates one table of entries rather than each size it grows through.
        var body = new Dictionary<string, AttributeValue>(Names.Count, StringComparer.Ordinal);
        for (var i = 0; i < Names.Count; i++)
        {
            var role = Roles[i];
            var text = Cell(cells, i);
            if (i == IdentifierColumn || role.Role == ColumnRole.Ignore)
            {
                continue;
            }

            if (role.Role is ColumnRole.Id or ColumnRole.Email)
            {
                // An empty identifier cell never clears one: an import never changes a set identifier.
                var value = text.Trim();
                if (value.Length == 0)
                {
                    continue;
                }

                if (role.Role == ColumnRole.Email && _mode == IdentifierMode.EmailOrId && !IsEmail(value))
                {
                    return ImportRow.Fail(record.Row, Names[i], value, "is not an email address");
                }

                body[role.Role == ColumnRole.Id ? ReservedKeys.Id : ReservedKeys.Email] = Value(value);
                continue;
            }

            if (text.Length == 0)
            {
                if (_options.EmptyValues == EmptyValues.Remove)
                {
                    body[role.Attribute!] = AttributeValue.Remove;
                }

                continue;
            }

            body[role.Attribute!] = record.Types is { } types ? Typed(types[i], text) : Value(text);
        }

        if (_options.DataToProcess == DataToProcess.OnlyExisting)
        {
            body[ReservedKeys.Update] = AttributeValue.FromBoolean(true);
        }

        var reference = _options.Identifier == IdentifierKind.Id ? PersonReference.ForId(identifier) : PersonReference.ForEmail(identifier);
        return ImportRow.Apply(record.Row, Names[IdentifierColumn], new IdentifyOperation(reference, body));
    }

    private ImportRow MapEvent(ImportRecord record, string identifier)
    {
        var cells = record.Cells;
        var name = Cell(cells, NameColumn).Trim();
        if (name.Length == 0)
        {
            return ImportRow.Fail(record.Row, EventName, "", "the row has no event name");
        }

        long? timestamp = null;
        if (TimestampColumn >= 0 && Cell(cells, TimestampColumn).Trim() is { Length: > 0 } time)
        {
            if (!long.TryParse(time, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || seconds > Limits.MaxUnixSeconds)
            {
                return ImportRow.Fail(record.Row, EventTimestamp, time, $"is not a time in unix seconds from 0 to {Limits.MaxUnixSeconds}");
            }

            timestamp = seconds;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < Names.Count; i++)
            {
                if (i == IdentifierColumn || i == NameColumn || i == TimestampColumn || Roles[i].Role != ColumnRole.Attribute || Cell(cells, i) is not { Length: > 0 } text)
                {
                    continue;
                }

                writer.WritePropertyName(Roles[i].Attribute!);
                if (Value(text) is { Type: AttributeType.Number } number)
                {
                    writer.WriteRawValue(number.Text!);
                }
                else
                {
                    writer.WriteStringValue(text);
                }
            }

            writer.WriteEndObject();
        }

        var data = JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
        var reference = _options.Identifier == IdentifierKind.Id ? PersonReference.ForId(identifier) : PersonReference.ForEmail(identifier);
        return ImportRow.Apply(record.Row, Names[IdentifierColumn], new TrackEventOperation(reference, new EventInput(name, EventInput.EventType, data, timestamp, EventId: null)));
    }

    /// <summary>A cell of a JSON number's form (no leading zeros, so <c>007</c> and zip codes stay text) is a number that keeps its text; anything else is text.</summary>
    public static AttributeValue Value(string text) =>
        text.Length <= 32 && NumberForm().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? AttributeValue.FromStored(AttributeType.Number, text, number)
            : AttributeValue.FromString(text);

    /// <summary>A cell of a typed source: its column's type, unless the text is not one (a database's NaN is no JSON number).</summary>
    private static AttributeValue Typed(AttributeType type, string text) => type switch
    {
        AttributeType.Boolean when bool.TryParse(text, out var flag) => AttributeValue.FromBoolean(flag),
        AttributeType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) =>
            AttributeValue.FromStored(AttributeType.Number, text, number),
        _ => AttributeValue.FromString(text),
    };

    /// <summary>An address with one <c>@</c>, something on both sides, a dot in the domain, and no spaces.</summary>
    public static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1 && value.AsSpan(at + 1).Contains('.')
            && !value.EndsWith('.') && !value.AsSpan().ContainsAny(NotInEmails);
    }

    private static readonly System.Buffers.SearchValues<char> NotInEmails = System.Buffers.SearchValues.Create(" \t\r\n<>,;\"");

    private static string KindName(IdentifierKind kind) => kind == IdentifierKind.Email ? "email" : "id";

    private static string Cell(string[] cells, int index) => index < cells.Length ? cells[index] : "";

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberForm();
}

/// <summary>A row ready for the identity service (<see cref="Operation"/>), or already decided: failed or skipped with its reason.</summary>
public sealed record ImportRow(long Row, PeopleOperation? Operation, ImportRowOutcome? Decided, ImportProblem? Problem)
{
    /// <summary>The identifier's column, named in the problems the service's answer brings.</summary>
    public string IdentifierColumn { get; init; } = "";

    public static ImportRow Apply(long row, string identifierColumn, PeopleOperation operation) => new(row, operation, null, null) { IdentifierColumn = identifierColumn };

    public static ImportRow Fail(long row, string column, string value, string reason) =>
        new(row, null, ImportRowOutcome.Failed, NewProblem(ImportProblemKind.Error, row, column, value, reason));

    public static ImportRow Skip(long row, string column, string value, string reason) =>
        new(row, null, ImportRowOutcome.Skipped, NewProblem(ImportProblemKind.Warning, row, column, value, reason));

    internal static ImportProblem NewProblem(ImportProblemKind kind, long row, string column, string value, string reason) =>
        new() { Kind = kind, Row = row, Column = column, Value = value, Reason = reason };
}

public enum ImportRowOutcome : byte
{
    Created = 1,
    Updated = 2,
    Skipped = 3,
    Failed = 4,
}
