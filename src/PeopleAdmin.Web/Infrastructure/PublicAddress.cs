using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace PeopleAdmin.Web.Infrastructure;

/// <summary><c>PeopleAdmin:PublicBaseUrl</c>: the address people and clients reach the app at.</summary>
internal sealed class PublicAddressOptions
{
    public const string Section = "PeopleAdmin";

    public string? PublicBaseUrl { get; set; }

}

/// <summary>Refuses the start with what is wrong in the configured public address.</summary>
internal sealed class PublicAddressOptionsValidator : IValidateOptions<PublicAddressOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicAddressOptions options) =>
        Problem(options.PublicBaseUrl) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : !Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            ? $"PeopleAdmin__PublicBaseUrl must be an absolute http or https URL such as https://people.example.com; '{value}' is not."
        : uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0
            ? $"PeopleAdmin__PublicBaseUrl must not carry credentials, a query or a fragment; '{value}' does."
        : null;
}

/// <summary>
/// The base of every URL the app hands out (webhook URLs, export downloads, snippet and form examples,
/// <c>accounts/region</c>). A request's <c>Host</c> header is never used: behind a proxy or under a forged header it
/// would hand clients someone else's address. Without configuration it is the first address Kestrel listens on.
/// </summary>
internal sealed class PublicAddress(IOptions<PublicAddressOptions> options, IServer server, IConfiguration configuration)
{
    private Uri? _base;

    /// <summary>The base URL, always ending in a slash.</summary>
    public Uri BaseUrl => _base ??= Resolve();

    /// <summary>An absolute URL for a path relative to the base (<c>"api/v1"</c> or <c>"/api/v1"</c>).</summary>
    public string Link(string path) => new Uri(BaseUrl, path.TrimStart('/')).ToString();

    /// <summary><see cref="BaseUrl"/> without its trailing slash, as an origin-style prefix.</summary>
    public string Root => BaseUrl.ToString().TrimEnd('/');

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl);

    private Uri Resolve()
    {
        var configured = options.Value.PublicBaseUrl;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return WithSlash(new Uri(configured, UriKind.Absolute));
        }

        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? "http://localhost:5080";
        return WithSlash(new Uri(WithoutWildcard(listening), UriKind.Absolute));
    }

    private static string WithoutWildcard(string address)
    {
        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
        {
            if (address.Contains(wildcard, StringComparison.Ordinal))
            {
                return address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
            }
        }

        return address;
    }

    private static Uri WithSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/", UriKind.Absolute);
}

internal static class PublicAddressExtensions
{
    public static WebApplicationBuilder AddPublicAddress(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublicAddressOptions>().BindConfiguration(PublicAddressOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PublicAddressOptions>, PublicAddressOptionsValidator>();
        builder.Services.AddSingleton<PublicAddress>();
        return builder;
    }

    /// <summary>In Production an unset public address is worth a warning: links would name the listen address.</summary>
    public static void WarnWithoutPublicAddress(this WebApplication app)
    {
        if (app.Environment.IsProduction() && !app.Services.GetRequiredService<PublicAddress>().IsConfigured)
        {
            app.Logger.LogWarning(
                "PeopleAdmin__PublicBaseUrl is not set: URLs the app hands out (webhooks, exports, snippet and form examples) use the listen address. Set it to the address people reach this server at.");
        }
    }
}
