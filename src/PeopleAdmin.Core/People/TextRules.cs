using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PeopleAdmin.Core.People;

/// <summary>
/// Identity rule 5's rules for text: every string and name is well-formed Unicode (no lone UTF-16 surrogate), and an
/// identifier is something a person can read and type back. Readers use <see cref="Repair"/> on stored JSON, so that
/// whatever was stored before these rules never breaks a read.
/// </summary>
public static class TextRules
{
    public const string ReasonUnreadableIdentifier =
        "an identifier may not be empty after trimming nor hold control, zero-width or bidirectional-control characters";

    /// <summary>
    /// False when <paramref name="value"/> holds a UTF-16 surrogate that is not half of a pair, or a NUL (U+0000),
    /// which PostgreSQL's text cannot hold: what one store refuses, neither keeps.
    /// </summary>
    public static bool IsWellFormed(string value)
    {
        var span = value.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == '\0')
            {
                return false;
            }

            if (!char.IsSurrogate(span[i]))
            {
                continue;
            }

            if (!char.IsHighSurrogate(span[i]) || i + 1 == span.Length || !char.IsLowSurrogate(span[i + 1]))
            {
                return false;
            }

            i++;
        }

        return true;
    }

    /// <summary>
    /// Why <paramref name="value"/> cannot be an identifier (rule 5), or null: empty after trimming, or holding a
    /// character of Unicode's categories Cc or Cf (controls, zero-width and bidirectional-control characters).
    /// </summary>
    public static string? IdentifierProblem(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return ReasonUnreadableIdentifier;
        }

        foreach (var c in value)
        {
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format)
            {
                return ReasonUnreadableIdentifier;
            }
        }

        return null;
    }

    /// <summary>
    /// The JSON path (from <paramref name="path"/>) of the first string or property name in <paramref name="element"/>
    /// that is not well-formed Unicode (a lone surrogate escape such as <c>"\ud800"</c>, or bytes that are not UTF-8),
    /// or null when all of them are.
    /// </summary>
    public static string? FindMalformed(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : path;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(property))
                    {
                        return Join(path, "(a property name)");
                    }

                    if (FindMalformed(property.Value, Join(path, property.Name)) is { } inside)
                    {
                        return inside;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindMalformed(item, $"{path}[{index}]") is { } inside)
                    {
                        return inside;
                    }

                    index++;
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The message of a 400 for text that <see cref="FindMalformed"/> found.</summary>
    public static string MalformedMessage(string path) =>
        $"{(path.Length == 0 ? "the body" : path)} holds text that is not valid Unicode (a lone UTF-16 surrogate such as \\ud800, or bytes that are not UTF-8) or a NUL character (\\u0000)";

    /// <summary>
    /// Stored JSON as readers may use it: unchanged when every string is well-formed, otherwise with each lone
    /// surrogate replaced by U+FFFD. Text that is not JSON at all is returned as it is.
    /// </summary>
    public static string Repair(string json)
    {
        if (!json.Contains("\\u", StringComparison.OrdinalIgnoreCase) && IsWellFormed(json))
        {
            return json;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (FindMalformed(document.RootElement, "") is null)
            {
                return json;
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                WriteRepaired(writer, document.RootElement);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static void WriteRepaired(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(Readable(element) ? element.GetString() : Lenient(element.GetRawText()));
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    // System.Text.Json gives no access to a name's raw text: an unreadable name is shown as U+FFFD.
                    writer.WritePropertyName(Readable(property) ? property.Name : "\uFFFD");
                    WriteRepaired(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteRepaired(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static bool Readable(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Readable(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Decodes a JSON string literal, turning every surrogate that is not half of a pair into U+FFFD.</summary>
    private static string Lenient(string literal)
    {
        var text = new StringBuilder(literal.Length);
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\' || i + 1 >= literal.Length - 1)
            {
                text.Append(c);
                continue;
            }

            var escape = literal[++i];
            if (escape == 'u' && i + 4 < literal.Length
                && ushort.TryParse(literal.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                text.Append((char)code);
                i += 4;
                continue;
            }

            text.Append(escape switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escape });
        }

        var chars = text.ToString().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
