using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Web.Features.LeadAds;

/// <summary>
/// <c>/integrations/facebook/{site_id}/webhook</c>, the callback URL a Facebook app subscribes to: Meta's verification
/// handshake (<c>GET</c>) and its <c>leadgen</c> notifications (<c>POST</c>, signed with the app secret). A notification
/// only names a lead: the lead is kept as waiting and read from the Graph API in the background.
/// </summary>
internal static class LeadAdsWebhook
{
    public const int BodyLimit = 1024 * 1024;

    public const string SignatureHeader = "X-Hub-Signature-256";

    public static IEndpointRouteBuilder MapLeadAdsWebhook(this IEndpointRouteBuilder endpoints)
    {
        var webhook = endpoints.MapGroup("/integrations/facebook/{siteId}/webhook").AllowAnonymous().DisableAntiforgery().WithTags("Facebook Lead Ads");
        webhook.MapGet("", Verify).WithName("LeadAdsWebhookVerify");
        webhook.MapPost("", ReceiveAsync).WithName("LeadAdsWebhookReceive");
        return endpoints;
    }

    /// <summary>Answers <c>hub.challenge</c> when <c>hub.mode</c> is <c>subscribe</c> and the verify token is the connection's.</summary>
    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Verify(
        HttpContext http, string siteId, WorkspaceDirectory directory, LeadAdsService leadAds, ILogger<LeadAdsService> logger, CancellationToken ct)
    {
        NoStatusPages(http);
        if (await SecretsAsync(siteId, directory, leadAds, ct) is not { } secrets)
        {
            return NotConnected(siteId);
        }

        var query = http.Request.Query;
        if (query["hub.mode"] != "subscribe" || !SameSecret(query["hub.verify_token"].ToString(), secrets.VerifyToken))
        {
            logger.LogWarning("Refused a Lead Ads subscription handshake for site {SiteId}: wrong mode or verify token", siteId);
            return TypedResults.Problem("hub.mode must be subscribe and hub.verify_token the connection's verify token.", statusCode: StatusCodes.Status403Forbidden);
        }

        return TypedResults.Text(query["hub.challenge"].ToString(), "text/plain");
    }

    /// <summary>Accepts a <c>leadgen</c> notification signed with the app secret; anything else is refused and logged.</summary>
    internal static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        HttpContext http, string siteId, WorkspaceDirectory directory, LeadAdsService leadAds, LeadProcessor processor, ILogger<LeadAdsService> logger, CancellationToken ct)
    {
        NoStatusPages(http);
        if (await SecretsAsync(siteId, directory, leadAds, ct) is not { } secrets)
        {
            return NotConnected(siteId);
        }

        if (http.Request.ContentLength > BodyLimit)
        {
            return TypedResults.Problem($"A notification may have at most {BodyLimit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null)
        {
            return TypedResults.Problem($"A notification may have at most {BodyLimit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (!SignatureMatches(http.Request.Headers[SignatureHeader].ToString(), body, secrets.AppSecret))
        {
            logger.LogWarning("Refused a Lead Ads notification for site {SiteId} from {Address}: missing or wrong {Header}", siteId, http.Connection.RemoteIpAddress, SignatureHeader);
            return TypedResults.Problem($"The {SignatureHeader} header must be sha256= and the HMAC-SHA256 of the body with the app secret.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (Read(body) is not { } leads)
        {
            logger.LogWarning("Refused a signed Lead Ads notification for site {SiteId}: not a page notification", siteId);
            return TypedResults.Problem("The body must be a page notification: {\"object\": \"page\", \"entry\": [{\"changes\": [...]}]}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (leads.Count > 0)
        {
            await leadAds.ReceiveAsync(secrets.WorkspaceId, leads, ct);
            processor.Wake();
        }

        return TypedResults.Ok();
    }

    /// <summary>Compares the header's HMAC with the body's in constant time.</summary>
    internal static bool SignatureMatches(string header, byte[] body, string appSecret)
    {
        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(header[prefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presented, HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));
    }

    /// <summary>The <c>leadgen</c> changes of a page notification; null when the body is not one. Other fields are left alone.</summary>
    internal static List<LeadNotification>? Read(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("object", out var kind) || kind.ValueKind != JsonValueKind.String
                || kind.GetString() != "page" || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var leads = new List<LeadNotification>();
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var change in changes.EnumerateArray())
                {
                    if (change.ValueKind == JsonValueKind.Object && Text(change, "field") == "leadgen"
                        && change.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object
                        && Text(value, "leadgen_id") is { Length: > 0 and <= 64 } leadgenId)
                    {
                        var pageId = Text(value, "page_id") ?? Text(entry, "id") ?? "";
                        leads.Add(new LeadNotification(leadgenId, Shorten(pageId)!, Shorten(Text(value, "form_id")), Shorten(Text(value, "ad_id"))));
                    }
                }
            }

            return leads;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Ids are strings in Meta's documents, numbers in some of its samples: either is read as text.</summary>
    private static string? Text(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
        : null;

    private static string? Shorten(string? value) => value is null || value.Length <= 64 ? value : value[..64];

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > BodyLimit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task<LeadAdWebhookSecrets?> SecretsAsync(string siteId, WorkspaceDirectory directory, LeadAdsService leadAds, CancellationToken ct) =>
        await directory.FindBySiteIdAsync(siteId, ct) is { } workspace ? await leadAds.FindSecretsAsync(workspace.Id, ct) : null;

    private static bool SameSecret(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static ProblemHttpResult NotConnected(string siteId) =>
        TypedResults.Problem($"Workspace {siteId} has no Facebook Lead Ads connection.", statusCode: StatusCodes.Status404NotFound);

    private static void NoStatusPages(HttpContext http)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }
    }
}
