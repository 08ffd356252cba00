using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.Operators;

namespace PeopleAdmin.Web.Features.Audit;

/// <summary>
/// <c>GET /audit/export.csv</c>: the audit trail as the audit page filters it (same query string), every matching
/// entry, streamed as RFC 4180 CSV. Signed-in Owners and Admins only, as the page.
/// </summary>
internal static class AuditExport
{
    public const string Path = "/audit/export.csv";

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, Export).RequireAuthorization(Policies.CanManageOperators).ExcludeFromDescription();
        return endpoints;
    }

    internal static PushStreamHttpResult Export(
        AuditTrail audit,
        [FromQuery] string? @operator,
        [FromQuery] string? kind,
        [FromQuery] string? from,
        [FromQuery] string? to,
        HttpContext http)
    {
        var query = AuditFilter.ToQuery(@operator, kind, from, to);
        return TypedResults.Stream(
            async stream =>
            {
                await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
                await writer.WriteAsync("at_utc,action,operator,detail,remote_address\r\n");
                await foreach (var entry in audit.StreamAsync(query, http.RequestAborted))
                {
                    await writer.WriteAsync(string.Join(',',
                        Field(entry.At.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                        Field(entry.Action),
                        Field(entry.Actor),
                        Field(entry.Detail),
                        Field(entry.RemoteAddress)) + "\r\n");
                }
            },
            "text/csv; charset=utf-8",
            $"audit-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv");
    }

    /// <summary>
    /// Quotes a field when it needs it, and defuses a leading formula character so that a spreadsheet shows the text
    /// instead of running it (what an attacker could type as an email on the sign-in page).
    /// </summary>
    internal static string Field(string? value)
    {
        value ??= "";
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

/// <summary>The audit page's filters as they travel in the query string.</summary>
internal static class AuditFilter
{
    public static AuditQuery ToQuery(string? @operator, string? kind, string? from, string? to) => new(
        string.IsNullOrWhiteSpace(@operator) ? null : @operator,
        kind is not null && AuditKinds.All.ContainsKey(kind) ? kind : null,
        ParseDay(from),
        ParseDay(to));

    public static DateOnly? ParseDay(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static string? FormatDay(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
