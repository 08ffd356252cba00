using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace PeopleAdmin.Web.Features.Apis;

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
    /// <paramref name="emptyIsObject"/>; otherwise the problem says what is wrong (413 over the limit, 400 not JSON).
    /// </summary>
    public static async Task<(JsonDocument? Document, ApiProblem? Problem)> ReadJsonAsync(
        HttpRequest request, int limit, bool emptyIsObject, CancellationToken cancellationToken)
    {
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

        try
        {
            return (JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 }), null);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" at line {line + 1}, position {exception.BytePositionInLine + 1}" : "";
            return (null, ApiProblem.Invalid("body", $"The request body is not valid JSON{where}."));
        }
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
