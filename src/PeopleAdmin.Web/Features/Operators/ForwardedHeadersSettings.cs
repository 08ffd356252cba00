namespace PeopleAdmin.Web.Features.Operators;

/// <summary>
/// <c>PeopleAdmin:ForwardedHeaders</c>: honour <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from a
/// TLS-terminating proxy, so that sign-in cookies are marked secure and the audit trail names the real client.
/// </summary>
internal sealed class ForwardedHeadersSettings
{
    public const string Section = "PeopleAdmin:ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Comma-separated proxy addresses to trust; with neither list set, only loopback is trusted.</summary>
    public string? KnownProxies { get; set; }

    /// <summary>Comma-separated networks in CIDR notation (<c>10.0.0.0/8</c>) to trust.</summary>
    public string? KnownNetworks { get; set; }

    public static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
