using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Imports;

public enum ImportType : byte
{
    People = 1,
    Event = 2,

    /// <summary>Objects of one type: an <c>object_id</c> column, every other column an attribute.</summary>
    Object = 3,

    /// <summary>Relationships of existing people to existing objects of one type, with the relationship's attributes.</summary>
    Relationship = 4,
}

public enum DataToProcess : byte
{
    All = 1,
    OnlyNew = 2,
    OnlyExisting = 3,
}

/// <summary>What an empty cell means: leave the person's attribute as it is, or remove it.</summary>
public enum EmptyValues : byte
{
    Ignore = 1,
    Remove = 2,
}

public enum ColumnRole : byte
{
    Id = 1,
    Email = 2,
    Attribute = 3,
    Ignore = 4,
}

/// <summary>What a column is: an identifier, an attribute of the given (case-sensitive) name, or ignored.</summary>
public sealed record ColumnMapping(ColumnRole Role, string? Attribute = null);

/// <summary>The manual segment everyone the import applies to joins: an existing one by id, or one by name (made when missing).</summary>
public sealed record ImportSegment(int? Id, string? Name);

/// <summary>An import's options, exactly as the contract's options JSON (<see cref="ImportOptionsJson"/>).</summary>
public sealed record ImportOptions
{
    public ImportType Type { get; init; } = ImportType.People;

    /// <summary>The object type (Customer.io's <c>object_type_id</c>) of an object or relationship import.</summary>
    public int? ObjectTypeId { get; init; }

    public bool IsOfObjects => Type is ImportType.Object or ImportType.Relationship;

    public IdentifierKind Identifier { get; init; } = IdentifierKind.Id;

    public DataToProcess DataToProcess { get; init; } = DataToProcess.All;

    public EmptyValues EmptyValues { get; init; } = EmptyValues.Ignore;

    /// <summary>Columns named here take this role; any other column maps by its name (see <see cref="ImportColumns"/>).</summary>
    public IReadOnlyDictionary<string, ColumnMapping> Mapping { get; init; } = new Dictionary<string, ColumnMapping>(StringComparer.Ordinal);

    /// <summary>The file's encoding (a .NET or IANA name); null: detected.</summary>
    public string? Encoding { get; init; }

    /// <summary>The file's delimiter; null: detected.</summary>
    public char? Delimiter { get; init; }

    public ImportSegment? Segment { get; init; }

    public bool DryRun { get; init; }
}

/// <summary>Something wrong with the options (or the file as a whole): the field and why.</summary>
public sealed record ImportOptionsProblem(string Field, string Message);

/// <summary>Reads and writes the contract's options JSON; every problem names its field (<c>options.mapping.plan</c>).</summary>
public static class ImportOptionsJson
{
    public static readonly IReadOnlyList<char> Delimiters = [',', ';', '\t', '|'];

    public static ImportOptionsProblem? TryRead(string json, string prefix, out ImportOptions options)
    {
        options = new ImportOptions();
        try
        {
            using var document = JsonDocument.Parse(json);
            return TryRead(document.RootElement, prefix, out options);
        }
        catch (JsonException exception)
        {
            return new ImportOptionsProblem(prefix.TrimEnd('.'), $"is not valid JSON: {exception.Message}");
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to read a lone surrogate escape ("\ud800") as a string.
            return new ImportOptionsProblem(prefix.TrimEnd('.'), "holds a string that is not valid Unicode (a lone surrogate escape)");
        }
    }

    public static ImportOptionsProblem? TryRead(JsonElement json, string prefix, out ImportOptions options)
    {
        options = new ImportOptions();
        if (json.ValueKind != JsonValueKind.Object)
        {
            return new ImportOptionsProblem(prefix.TrimEnd('.'), "must be a JSON object");
        }

        ImportOptionsProblem?[] problems =
        [
            ReadEnum(json, prefix, "type", out ImportType type, TypeNames),
            ReadObjectTypeId(json, prefix, out var objectTypeId),
            ReadEnum(json, prefix, "identifier", out IdentifierKind identifier, ("id", IdentifierKind.Id), ("email", IdentifierKind.Email)),
            ReadEnum(json, prefix, "data_to_process", out DataToProcess data, ("all", DataToProcess.All), ("only_new", DataToProcess.OnlyNew), ("only_existing", DataToProcess.OnlyExisting)),
            ReadEnum(json, prefix, "empty_values", out EmptyValues empty, ("ignore", EmptyValues.Ignore), ("remove", EmptyValues.Remove)),
            ReadMapping(json, prefix, out var mapping),
            ReadEncoding(json, prefix, out var encoding),
            ReadDelimiter(json, prefix, out var delimiter),
            ReadSegment(json, prefix, out var segment),
            ReadDryRun(json, prefix, out var dryRun),
        ];
        if (problems.FirstOrDefault(p => p is not null) is { } problem)
        {
            return problem;
        }

        if (ObjectProblem(json, prefix, type, objectTypeId) is { } objectProblem)
        {
            return objectProblem;
        }

        if (!json.TryGetProperty("identifier", out _) && type != ImportType.Object)
        {
            return new ImportOptionsProblem(prefix + "identifier", "is required: \"id\" or \"email\"");
        }

        if (type == ImportType.Event && data != DataToProcess.All && json.TryGetProperty("data_to_process", out _) && data != DataToProcess.OnlyExisting)
        {
            return new ImportOptionsProblem(prefix + "data_to_process", "an event import applies to existing people only: leave it out or send \"only_existing\"");
        }

        options = new ImportOptions
        {
            Type = type == default ? ImportType.People : type,
            ObjectTypeId = objectTypeId,
            Identifier = identifier,
            DataToProcess = data == default ? DataToProcess.All : data,
            EmptyValues = empty == default ? EmptyValues.Ignore : empty,
            Mapping = mapping,
            Encoding = encoding,
            Delimiter = delimiter,
            Segment = segment,
            DryRun = dryRun,
        };
        return null;
    }

    /// <summary>The contract's JSON of <paramref name="options"/>, as it is stored with the import.</summary>
    public static string Write(ImportOptions options)
    {
        var mapping = new JsonObject();
        foreach (var (column, map) in options.Mapping)
        {
            mapping[column] = map.Role switch
            {
                ColumnRole.Id => "id",
                ColumnRole.Email => "email",
                ColumnRole.Ignore => "ignore",
                _ => "attribute:" + map.Attribute,
            };
        }

        var json = new JsonObject
        {
            ["type"] = TypeName(options.Type),
            ["identifier"] = options.Identifier == IdentifierKind.Email ? "email" : "id",
            ["data_to_process"] = options.DataToProcess switch { DataToProcess.OnlyNew => "only_new", DataToProcess.OnlyExisting => "only_existing", _ => "all" },
            ["empty_values"] = options.EmptyValues == EmptyValues.Remove ? "remove" : "ignore",
            ["mapping"] = mapping,
            ["dry_run"] = options.DryRun,
        };
        if (options.ObjectTypeId is { } objectTypeId)
        {
            json["object_type_id"] = objectTypeId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (options.Encoding is { } encoding)
        {
            json["encoding"] = encoding;
        }

        if (options.Delimiter is { } delimiter)
        {
            json["delimiter"] = delimiter.ToString();
        }

        if (options.Segment is { } segment)
        {
            json["segment"] = segment.Id is { } id ? new JsonObject { ["id"] = id } : new JsonObject { ["name"] = segment.Name };
        }

        return json.ToJsonString();
    }

    /// <summary>The encoding a name stands for (the code pages of Windows included), or null when none does.</summary>
    public static Encoding? FindEncoding(string name)
    {
        CsvDetection.RegisterCodePages();
        try
        {
            return System.Text.Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static readonly (string Text, ImportType Value)[] TypeNames =
        [("people", ImportType.People), ("event", ImportType.Event), ("object", ImportType.Object), ("relationship", ImportType.Relationship)];

    public static string TypeName(ImportType type) => TypeNames.First(t => t.Value == type).Text;

    private static ImportOptionsProblem? ReadObjectTypeId(JsonElement json, string prefix, out int? objectTypeId)
    {
        objectTypeId = null;
        if (!json.TryGetProperty("object_type_id", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number) && number > 0
            || element.ValueKind == JsonValueKind.String && int.TryParse(element.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number) && number > 0)
        {
            objectTypeId = number;
            return null;
        }

        return new ImportOptionsProblem(prefix + "object_type_id", $"must be an object type's id, a whole number from 1 such as \"1\"; it is {element.GetRawText()}");
    }

    /// <summary>An object or relationship import names its type and joins no segment (an object is nobody); other imports name no type.</summary>
    private static ImportOptionsProblem? ObjectProblem(JsonElement json, string prefix, ImportType type, int? objectTypeId)
    {
        var ofObjects = type is ImportType.Object or ImportType.Relationship;
        if (ofObjects && objectTypeId is null)
        {
            return new ImportOptionsProblem(prefix + "object_type_id", $"is required for {(type == ImportType.Object ? "an object" : "a relationship")} import: the object type's id, such as \"1\"");
        }

        if (!ofObjects && objectTypeId is not null)
        {
            return new ImportOptionsProblem(prefix + "object_type_id", "applies to object and relationship imports only");
        }

        return type == ImportType.Object && json.TryGetProperty("segment", out var segment) && segment.ValueKind != JsonValueKind.Null
            ? new ImportOptionsProblem(prefix + "segment", "an object import adds nobody to a segment; leave it out")
            : null;
    }

    private static ImportOptionsProblem? ReadEnum<T>(JsonElement json, string prefix, string name, out T value, params (string Text, T Value)[] choices)
        where T : struct
    {
        value = default;
        if (!json.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            foreach (var (text, choice) in choices)
            {
                if (element.GetString() == text)
                {
                    value = choice;
                    return null;
                }
            }
        }

        return new ImportOptionsProblem(prefix + name, $"must be one of {string.Join(", ", choices.Select(c => $"\"{c.Text}\""))}; it is {element.GetRawText()}");
    }

    private static ImportOptionsProblem? ReadMapping(JsonElement json, string prefix, out Dictionary<string, ColumnMapping> mapping)
    {
        mapping = new Dictionary<string, ColumnMapping>(StringComparer.Ordinal);
        if (!json.TryGetProperty("mapping", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return new ImportOptionsProblem(prefix + "mapping", "must be an object of column names to \"id\", \"email\", \"attribute:<name>\" or \"ignore\"");
        }

        foreach (var property in element.EnumerateObject())
        {
            var field = $"{prefix}mapping.{property.Name}";
            var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : null;
            ColumnMapping? map = text switch
            {
                "id" => new ColumnMapping(ColumnRole.Id),
                "email" => new ColumnMapping(ColumnRole.Email),
                "ignore" => new ColumnMapping(ColumnRole.Ignore),
                _ when text is not null && text.StartsWith("attribute:", StringComparison.Ordinal) => new ColumnMapping(ColumnRole.Attribute, text["attribute:".Length..]),
                _ => null,
            };
            if (map is null)
            {
                return new ImportOptionsProblem(field, $"must be \"id\", \"email\", \"attribute:<name>\" or \"ignore\"; it is {property.Value.GetRawText()}");
            }

            if (map.Role == ColumnRole.Attribute && (string.IsNullOrWhiteSpace(map.Attribute) || ReservedKeys.IsReserved(map.Attribute)))
            {
                return new ImportOptionsProblem(field, $"\"{text}\" names no attribute a column can set (empty, or a reserved key such as id, email or cio_id)");
            }

            mapping[property.Name] = map;
        }

        return null;
    }

    private static ImportOptionsProblem? ReadEncoding(JsonElement json, string prefix, out string? encoding)
    {
        encoding = null;
        if (!json.TryGetProperty("encoding", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String || FindEncoding(element.GetString()!) is not { } found)
        {
            return new ImportOptionsProblem(prefix + "encoding", $"names no encoding this server knows (such as \"utf-8\", \"utf-16\", \"windows-1252\", \"iso-8859-1\"); it is {element.GetRawText()}");
        }

        encoding = found.WebName;
        return null;
    }

    private static ImportOptionsProblem? ReadDelimiter(JsonElement json, string prefix, out char? delimiter)
    {
        delimiter = null;
        if (!json.TryGetProperty("delimiter", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: 1 } text || !Delimiters.Contains(text[0]))
        {
            return new ImportOptionsProblem(prefix + "delimiter", $"must be one of \",\", \";\", \"\\t\" (tab) or \"|\"; it is {element.GetRawText()}");
        }

        delimiter = text[0];
        return null;
    }

    private static ImportOptionsProblem? ReadSegment(JsonElement json, string prefix, out ImportSegment? segment)
    {
        segment = null;
        if (!json.TryGetProperty("segment", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var segmentId) && segmentId > 0)
        {
            segment = new ImportSegment(segmentId, null);
            return null;
        }

        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            && name.GetString()!.Trim() is { Length: > 0 } trimmed && OperationValidator.Bytes(trimmed) <= Limits.SegmentNameBytes)
        {
            segment = new ImportSegment(null, trimmed);
            return null;
        }

        return new ImportOptionsProblem(prefix + "segment", $"must be {{\"id\": <a manual segment's id>}} or {{\"name\": \"<1 to {Limits.SegmentNameBytes} bytes>\"}}");
    }

    private static ImportOptionsProblem? ReadDryRun(JsonElement json, string prefix, out bool dryRun)
    {
        dryRun = false;
        if (!json.TryGetProperty("dry_run", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return new ImportOptionsProblem(prefix + "dry_run", $"must be true or false; it is {element.GetRawText()}");
        }

        dryRun = element.GetBoolean();
        return null;
    }
}
