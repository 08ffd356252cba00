using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Web.Features.Apis;

/// <summary>What an endpoint's body may be.</summary>
internal enum BodyKind
{
    Json,

    /// <summary>JSON, or a form-encoded body (Track v1, as Customer.io's classic API takes).</summary>
    JsonOrForm,

    /// <summary>JSON whose items the caller checks one by one (lone surrogates fail an item, not the body).</summary>
    JsonItems,

    /// <summary>JSON, also declared as <c>text/plain</c>: what a browser sends without a preflight, and a beacon (the snippet).</summary>
    JsonOrText,
}

internal static class ApiRequest
{
    public const int OneMebibyte = 1024 * 1024;

    /// <summary>
    /// The path segment at <paramref name="index"/> (0 is the segment after the leading slash), percent-decoded once
    /// from the raw request target: <c>%2F</c> is a slash inside the segment, <c>+</c> stays a plus, and
    /// <c>%252F</c> stays <c>%2F</c> (ASP.NET Core leaves <c>%2F</c> encoded in route values, so decoding those again
    /// would double-decode).
    /// </summary>
    public static string PathSegment(HttpContext http, int index)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            raw = http.Request.PathBase.Add(http.Request.Path).ToUriComponent();
        }

        if (!raw.StartsWith('/') && Uri.TryCreate(raw, UriKind.Absolute, out var absolute))
        {
            raw = absolute.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
        }

        var end = raw.IndexOfAny(['?', '#']);
        var path = end < 0 ? raw : raw[..end];
        var segments = path.Split('/');
        var position = index + 1 + BaseSegments(http);
        return position < segments.Length ? Uri.UnescapeDataString(segments[position]) : "";
    }

    private static int BaseSegments(HttpContext http) =>
        http.Request.PathBase.HasValue ? http.Request.PathBase.Value!.Count(c => c == '/') : 0;

    /// <summary>
    /// Reads the body as JSON within <paramref name="limit"/> bytes. An empty body reads as <c>{}</c> when
    /// <paramref name="emptyIsObject"/>; otherwise the problem says what is wrong (413 over the limit, 415 not a JSON
    /// content type, 400 not JSON or not valid Unicode). <paramref name="kind"/> says what else the endpoint takes: a
    /// form-encoded body (Track v1) is read into the JSON it stands for; <see cref="BodyKind.JsonItems"/> leaves the
    /// check of lone surrogates to the caller, item by item (a v2 batch, whose items fail alone).
    /// </summary>
    public static async Task<(JsonDocument? Document, ApiProblem? Problem)> ReadJsonAsync(
        HttpRequest request, int limit, bool emptyIsObject, CancellationToken cancellationToken, BodyKind kind = BodyKind.Json)
    {
        var form = false;
        if (request.ContentType is { Length: > 0 } contentType)
        {
            var parsed = MediaTypeHeaderValue.TryParse(contentType, out var mediaType) ? mediaType.MediaType.Value : null;
            form = kind == BodyKind.JsonOrForm && string.Equals(parsed, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
            var text = kind == BodyKind.JsonOrText && string.Equals(parsed, "text/plain", StringComparison.OrdinalIgnoreCase);
            if (!form && !text && !IsJson(parsed))
            {
                var accepted = kind == BodyKind.JsonOrForm ? "application/json (or application/x-www-form-urlencoded)" : "application/json";
                return (null, new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "Content-Type", $"The body is declared as '{contentType}'; this endpoint takes {accepted}."));
            }
        }

        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        var buffer = new ArrayBufferWriter<byte>(Math.Min(limit + 1, (int?)request.ContentLength + 1 ?? 4096));
        var body = request.Body;
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return (null, TooLarge(limit));
            }
        }

        var bytes = buffer.WrittenMemory;
        if (IsBlank(bytes.Span))
        {
            return emptyIsObject
                ? (JsonDocument.Parse("{}"), null)
                : (null, ApiProblem.Invalid("body", "The request body is empty; a JSON object was expected."));
        }

        if (!Utf8.IsValid(bytes.Span))
        {
            return (null, ApiProblem.Invalid("body", $"The request body is not valid UTF-8 (the first bad byte is at offset {FirstInvalidByte(bytes.Span)}); nothing was applied."));
        }

        JsonDocument document;
        try
        {
            document = form ? FormAsJson(bytes.Span) : JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" at line {line + 1}, position {exception.BytePositionInLine + 1}" : "";
            return (null, ApiProblem.Invalid("body", $"The request body is not valid JSON{where}."));
        }

        if (kind != BodyKind.JsonItems && TextRules.FindMalformed(document.RootElement, "") is { } malformed)
        {
            document.Dispose();
            return (null, ApiProblem.Invalid(malformed.Length == 0 ? "body" : malformed, TextRules.MalformedMessage(malformed) + "; nothing was applied."));
        }

        return (document, null);
    }

    /// <summary><c>application/json</c> with or without parameters, any <c>+json</c> type; no declared type is read as JSON too.</summary>
    private static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Customer.io's classic form encoding (customerio-ruby's <c>json: false</c>): flat fields become string
    /// properties, and <c>outer[inner]</c> a property of the object <c>outer</c> (<c>data[plan]</c> for event data).
    /// </summary>
    private static JsonDocument FormAsJson(ReadOnlySpan<byte> bytes)
    {
        var fields = QueryHelpers.ParseQuery("?" + Encoding.UTF8.GetString(bytes));
        var flat = new Dictionary<string, string?>(StringComparer.Ordinal);
        var nested = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var (key, values) in fields)
        {
            var open = key.IndexOf('[', StringComparison.Ordinal);
            if (open > 0 && key.EndsWith(']') && key.Length > open + 2)
            {
                var outer = key[..open];
                if (!nested.TryGetValue(outer, out var inner))
                {
                    nested[outer] = inner = new Dictionary<string, string?>(StringComparer.Ordinal);
                }

                inner[key[(open + 1)..^1]] = values.ToString();
            }
            else
            {
                flat[key] = values.ToString();
            }
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in flat.Where(f => !nested.ContainsKey(f.Key)))
            {
                writer.WriteString(key, value);
            }

            foreach (var (outer, inner) in nested)
            {
                writer.WriteStartObject(outer);
                foreach (var (key, value) in inner)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        var valid = 0;
        while (valid < bytes.Length && System.Text.Rune.DecodeFromUtf8(bytes[valid..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            valid += consumed;
        }

        return valid;
    }

    public static ApiProblem TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "body", $"The request body is larger than this endpoint's limit of {Describe(limit)}.");

    public static string Describe(int bytes) => bytes % OneMebibyte == 0
        ? $"{bytes / OneMebibyte} MiB ({bytes} bytes)"
        : $"{bytes / 1024} KiB ({bytes} bytes)";

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
