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
/// <c>before</c> and <c>after</c> are PeopleAdmin's documented extensions. The People page keeps its filter in the
/// query string in this form.
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
            filter = Read(element, path, 0);
            error = null;
            return true;
        }
        catch (FilterFormatException exception)
        {
            error = exception.Error;
            return false;
        }
    }

    private static AudienceFilter Read(JsonElement element, string path, int depth)
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
        return property.Name switch
        {
            "and" => new AllOf(ReadGroup(property.Value, inner, depth)),
            "or" => new AnyOf(ReadGroup(property.Value, inner, depth)),
            "not" => new Not(Read(property.Value, inner, depth + 1)),
            "segment" => ReadSegment(property.Value, inner),
            "attribute" => ReadAttribute(property.Value, inner),
            _ => throw Fail(path, $"has \"{property.Name}\"; expected and, or, not, segment or attribute"),
        };
    }

    private static List<AudienceFilter> ReadGroup(JsonElement element, string path, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Fail(path, "must be an array of filters");
        }

        return [.. element.EnumerateArray().Select((item, i) => Read(item, $"{path}[{i}]", depth + 1))];
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

        var filter = new AttributeFilter(field.GetString()!, parsed, value);
        if (AudienceFilterRules.Problem(filter) is { } problem)
        {
            throw Fail($"{path}.value", problem);
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

                writer.WriteEndObject();
                break;
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

        return null;
    }

    /// <summary>The first problem anywhere in the filter, or null.</summary>
    public static string? Problem(AudienceFilter filter) => filter switch
    {
        AllOf all => all.Filters.Select(Problem).FirstOrDefault(p => p is not null),
        AnyOf any => any.Filters.Select(Problem).FirstOrDefault(p => p is not null),
        Not not => Problem(not.Filter),
        AttributeFilter attribute => Problem(attribute),
        _ => null,
    };
}
