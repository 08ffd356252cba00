using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PeopleAdmin.Core.People.Audience;

/// <summary>A filter that could not be read: <see cref="Field"/> is its JSON path, <see cref="Message"/> says why.</summary>
public sealed record FilterError(string Field, string Message);

/// <summary>
/// Customer.io's audience filter JSON (<c>and</c>, <c>or</c>, <c>not</c>, <c>segment: {id}</c>,
/// <c>attribute: {field, operator, value}</c>) read into an <see cref="AudienceFilter"/> and written back. Besides
/// Customer.io's <c>eq</c> and <c>exists</c>, the operators <c>neq</c>, <c>contains</c>, <c>gt</c>, <c>lt</c>,
/// <c>before</c>, <c>after</c>, <c>within_next</c> and <c>within_last</c> (days, with an optional <c>time_zone</c>) are
/// PeopleAdmin's documented extensions, and so is <c>object: {object_type_id, object_filter, relationship_filter}</c>,
/// people related to an object. The People page keeps its filter in the query string in this form.
/// </summary>
public static class AudienceFilterJson
{
    private const int MaxDepth = 16;

    private static readonly Dictionary<string, AttributeOperator> Operators = new(StringComparer.Ordinal)
    {
        ["eq"] = AttributeOperator.Equals,
        ["neq"] = AttributeOperator.NotEquals,
        ["contains"] = AttributeOperator.Contains,
        ["exists"] = AttributeOperator.Exists,
        ["gt"] = AttributeOperator.Greater,
        ["lt"] = AttributeOperator.Less,
        ["before"] = AttributeOperator.Before,
        ["after"] = AttributeOperator.After,
        ["within_next"] = AttributeOperator.WithinNext,
        ["within_last"] = AttributeOperator.WithinLast,
    };

    /// <summary>The operator's JSON name; does not exist is written as <c>not</c> around <c>exists</c>.</summary>
    public static string OperatorName(AttributeOperator op) =>
        op == AttributeOperator.NotExists ? "not exists" : Operators.First(pair => pair.Value == op).Key;

    public static bool TryParse(string json, out AudienceFilter filter, out FilterError? error, string path = "filter")
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return TryParse(document.RootElement, out filter, out error, path);
        }
        catch (JsonException exception)
        {
            filter = AudienceFilter.Everyone;
            error = new FilterError(path, $"is not JSON: {exception.Message}");
            return false;
        }
    }

    public static bool TryParse(JsonElement element, out AudienceFilter filter, out FilterError? error, string path = "filter")
    {
        filter = AudienceFilter.Everyone;
        try
        {
            filter = Read(element, path, 0, inObject: false);
            error = null;
            return true;
        }
        catch (FilterFormatException exception)
        {
            error = exception.Error;
            return false;
        }
    }

    private static AudienceFilter Read(JsonElement element, string path, int depth, bool inObject)
    {
        if (depth > MaxDepth)
        {
            throw Fail(path, $"nests deeper than {MaxDepth} levels");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, "must be an object with one of and, or, not, segment or attribute");
        }

        using var properties = element.EnumerateObject();
        var list = properties.ToList();
        if (list.Count != 1)
        {
            throw Fail(path, $"must have exactly one of and, or, not, segment or attribute (it has {(list.Count == 0 ? "none" : string.Join(", ", list.Select(p => p.Name)))})");
        }

        var property = list[0];
        var inner = $"{path}.{property.Name}";
        if (inObject && property.Name is "segment" or "object")
        {
            throw Fail(path, $"has \"{property.Name}\"; a condition on an object's or a relationship's attributes holds and, or, not and attribute only");
        }

        return property.Name switch
        {
            "and" => new AllOf(ReadGroup(property.Value, inner, depth, inObject)),
            "or" => new AnyOf(ReadGroup(property.Value, inner, depth, inObject)),
            "not" => new Not(Read(property.Value, inner, depth + 1, inObject)),
            "segment" => ReadSegment(property.Value, inner),
            "attribute" => ReadAttribute(property.Value, inner),
            "object" => ReadObject(property.Value, inner, depth),
            _ => throw Fail(path, $"has \"{property.Name}\"; expected and, or, not, segment, attribute or object"),
        };
    }

    private static List<AudienceFilter> ReadGroup(JsonElement element, string path, int depth, bool inObject)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Fail(path, "must be an array of filters");
        }

        return [.. element.EnumerateArray().Select((item, i) => Read(item, $"{path}[{i}]", depth + 1, inObject))];
    }

    private static RelatedObject ReadObject(JsonElement element, string path, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("object_type_id", out var type))
        {
            throw Fail(path, "must be an object with object_type_id, and optionally object_filter and relationship_filter");
        }

        var typeId = type.ValueKind switch
        {
            JsonValueKind.Number when type.TryGetInt32(out var number) && number > 0 => number,
            JsonValueKind.String when int.TryParse(type.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 => number,
            _ => throw Fail($"{path}.object_type_id", "must be an object type's id (a whole number from 1)"),
        };
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is not ("object_type_id" or "object_filter" or "relationship_filter"))
            {
                throw Fail($"{path}.{property.Name}", "is not a field of an object condition; expected object_type_id, object_filter or relationship_filter");
            }
        }

        return new RelatedObject(typeId, Inner("object_filter"), Inner("relationship_filter"));

        AudienceFilter Inner(string name) => element.TryGetProperty(name, out var inner) && inner.ValueKind != JsonValueKind.Null
            ? Read(inner, $"{path}.{name}", depth + 1, inObject: true)
            : AudienceFilter.Everyone;
    }

    private static InSegment ReadSegment(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("id", out var id))
        {
            throw Fail(path, "must be an object with the segment's id");
        }

        return id.ValueKind switch
        {
            JsonValueKind.Number when id.TryGetInt32(out var number) => new InSegment(number),
            JsonValueKind.String when int.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => new InSegment(number),
            _ => throw Fail($"{path}.id", "must be a segment id (a whole number)"),
        };
    }

    private static AttributeFilter ReadAttribute(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, "must be an object with field, operator and value");
        }

        if (!element.TryGetProperty("field", out var field) || field.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(field.GetString()))
        {
            throw Fail($"{path}.field", "must name the attribute (a non-empty string)");
        }

        if (!element.TryGetProperty("operator", out var op) || op.ValueKind != JsonValueKind.String
            || !Operators.TryGetValue(op.GetString()!, out var parsed))
        {
            throw Fail($"{path}.operator", $"must be one of {string.Join(", ", Operators.Keys)}");
        }

        string? value = null;
        if (element.TryGetProperty("value", out var raw))
        {
            value = raw.ValueKind switch
            {
                JsonValueKind.String => raw.GetString(),
                JsonValueKind.Number when raw.TryGetDouble(out var number) => number.ToString("R", CultureInfo.InvariantCulture),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => throw Fail($"{path}.value", "must be a string, a number or a boolean"),
            };
        }

        string? timeZone = null;
        if (element.TryGetProperty("time_zone", out var zone) && zone.ValueKind != JsonValueKind.Null)
        {
            timeZone = zone.ValueKind == JsonValueKind.String ? zone.GetString() : throw Fail($"{path}.time_zone", "must be an IANA time zone name such as Europe/Berlin");
        }

        var filter = new AttributeFilter(field.GetString()!, parsed, value, timeZone);
        if (AudienceFilterRules.Problem(filter) is { } problem)
        {
            throw Fail(timeZone is not null && !RelativeDates.TryTimeZone(timeZone, out _) ? $"{path}.time_zone" : $"{path}.value", problem);
        }

        return filter;
    }

    /// <summary>The filter as compact JSON, which <see cref="TryParse(string, out AudienceFilter, out FilterError?, string)"/> reads back.</summary>
    public static string Write(AudienceFilter filter)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, filter);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, AudienceFilter filter)
    {
        writer.WriteStartObject();
        switch (filter)
        {
            case AllOf all:
                WriteGroup(writer, "and", all.Filters);
                break;
            case AnyOf any:
                WriteGroup(writer, "or", any.Filters);
                break;
            case Not not:
                writer.WritePropertyName("not");
                Write(writer, not.Filter);
                break;
            case InSegment segment:
                writer.WriteStartObject("segment");
                writer.WriteNumber("id", segment.SegmentId);
                writer.WriteEndObject();
                break;
            case AttributeFilter { Operator: AttributeOperator.NotExists } attribute:
                writer.WritePropertyName("not");
                Write(writer, attribute with { Operator = AttributeOperator.Exists });
                break;
            case AttributeFilter attribute:
                writer.WriteStartObject("attribute");
                writer.WriteString("field", attribute.Name);
                writer.WriteString("operator", OperatorName(attribute.Operator));
                if (attribute.Value is not null)
                {
                    writer.WriteString("value", attribute.Value);
                }

                if (attribute.TimeZone is not null)
                {
                    writer.WriteString("time_zone", attribute.TimeZone);
                }

                writer.WriteEndObject();
                break;
            case RelatedObject related:
                writer.WriteStartObject("object");
                writer.WriteString("object_type_id", related.ObjectTypeId.ToString(CultureInfo.InvariantCulture));
                writer.WritePropertyName("object_filter");
                Write(writer, related.Object);
                writer.WritePropertyName("relationship_filter");
                Write(writer, related.Relationship);
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"{filter.GetType().Name} has no JSON form: only filters as a client states them do", nameof(filter));
        }

        writer.WriteEndObject();
    }

    private static void WriteGroup(Utf8JsonWriter writer, string name, IReadOnlyList<AudienceFilter> filters)
    {
        writer.WriteStartArray(name);
        foreach (var item in filters)
        {
            Write(writer, item);
        }

        writer.WriteEndArray();
    }

    private static FilterFormatException Fail(string field, string message) => new(new FilterError(field, message));

    private sealed class FilterFormatException(FilterError error) : Exception(error.Message)
    {
        public FilterError Error { get; } = error;
    }
}

/// <summary>What a condition needs to be meaningful, checked wherever a filter comes from.</summary>
public static class AudienceFilterRules
{
    /// <summary>Null when the condition can be evaluated; otherwise why not.</summary>
    public static string? Problem(AttributeFilter filter)
    {
        if (string.IsNullOrWhiteSpace(filter.Name))
        {
            return "the condition names no attribute";
        }

        if (filter.NeedsValue && string.IsNullOrEmpty(filter.Value))
        {
            return $"the {AudienceFilterJson.OperatorName(filter.Operator)} condition on \"{filter.Name}\" needs a value";
        }

        if (filter.Operator is AttributeOperator.Before or AttributeOperator.After && !FilterValues.TryDate(filter.Value, out _))
        {
            return $"the {AudienceFilterJson.OperatorName(filter.Operator)} condition on \"{filter.Name}\" compares dates; \"{filter.Value}\" is neither unix seconds nor an ISO-8601 date such as 2026-01-31 or 2026-01-31T09:30:00Z";
        }

        if (filter.IsRelativeDate && !RelativeDates.TryDays(filter.Value, out _))
        {
            return $"the {AudienceFilterJson.OperatorName(filter.Operator)} condition on \"{filter.Name}\" counts days; \"{filter.Value}\" is not a whole number from 0 to {RelativeDates.MaxDays}";
        }

        if (!RelativeDates.TryTimeZone(filter.TimeZone, out _))
        {
            return $"the time zone \"{filter.TimeZone}\" of the condition on \"{filter.Name}\" is not an IANA time zone name such as Europe/Berlin";
        }

        return null;
    }

    /// <summary>The first problem anywhere in the filter, or null.</summary>
    public static string? Problem(AudienceFilter filter) => filter switch
    {
        AllOf all => all.Filters.Select(Problem).FirstOrDefault(p => p is not null),
        AnyOf any => any.Filters.Select(Problem).FirstOrDefault(p => p is not null),
        Not not => Problem(not.Filter),
        AttributeFilter attribute => Problem(attribute),
        RelatedObject related => Problem(related),
        _ => null,
    };

    private static string? Problem(RelatedObject related)
    {
        if (related.ObjectTypeId < 1)
        {
            return "the object condition names no object type";
        }

        if (!OnlyAttributes(related.Object) || !OnlyAttributes(related.Relationship))
        {
            return "a condition on an object's or a relationship's attributes holds and, or, not and attribute only";
        }

        return Problem(related.Object) ?? Problem(related.Relationship);
    }

    private static bool OnlyAttributes(AudienceFilter filter) => filter switch
    {
        AllOf all => all.Filters.All(OnlyAttributes),
        AnyOf any => any.Filters.All(OnlyAttributes),
        Not not => OnlyAttributes(not.Filter),
        AttributeFilter or DateWindow => true,
        _ => false,
    };
}
