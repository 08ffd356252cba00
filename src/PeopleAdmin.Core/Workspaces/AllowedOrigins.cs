namespace PeopleAdmin.Core.Workspaces;

/// <summary>
/// The workspace setting <c>allowed_origins</c>: the websites (<c>scheme://host[:port]</c>) whose pages may submit hosted
/// forms and run the browser snippet, and to which a form's success redirect may lead. Empty allows any.
/// </summary>
public static class AllowedOrigins
{
    public const int MaxCount = 50;

    /// <summary>
    /// The origin as browsers send it in an <c>Origin</c> header (lower-case, no default port, no trailing slash), or
    /// why the text is not an origin.
    /// </summary>
    public static string? Normalize(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        if (trimmed.EndsWith('/'))
        {
            trimmed = trimmed[..^1];
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            error = $"\"{text}\" is not an origin: write scheme://host[:port], such as https://shop.example.com";
            return null;
        }

        if (uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || trimmed.EndsWith('/'))
        {
            error = $"\"{text}\" is not an origin: an origin has no path, query or credentials; write {uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()}";
            return null;
        }

        return OriginOf(uri);
    }

    /// <summary>The origin of an absolute URL, in the form <see cref="Normalize"/> gives.</summary>
    public static string OriginOf(Uri uri) => uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();

    /// <summary>Whether a page of this origin is allowed: any, when the list is empty.</summary>
    public static bool Allows(IReadOnlyList<string> allowed, string origin) =>
        allowed.Count == 0 || allowed.Contains(origin.TrimEnd('/').ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>Normalizes a whole list (duplicates dropped); the error names the entry.</summary>
    public static List<string>? NormalizeAll(IReadOnlyList<string> origins, out (string Field, string Message)? error)
    {
        error = null;
        if (origins.Count > MaxCount)
        {
            error = ("allowed_origins", $"allowed_origins holds {origins.Count} origins; the limit is {MaxCount}");
            return null;
        }

        var result = new List<string>(origins.Count);
        for (var i = 0; i < origins.Count; i++)
        {
            if (Normalize(origins[i] ?? "", out var message) is not { } origin)
            {
                error = ($"allowed_origins[{i}]", message!);
                return null;
            }

            if (!result.Contains(origin, StringComparer.Ordinal))
            {
                result.Add(origin);
            }
        }

        return result;
    }
}
