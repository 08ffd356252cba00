using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PeopleAdmin.Web.Features.LeadAds;

/// <summary>A lead as the Graph API answers it: its form and ad, and <c>field_data</c> as name and value pairs.</summary>
internal sealed record GraphLead(string? FormId, string? AdId, IReadOnlyList<KeyValuePair<string, string>> Fields);

/// <summary>Why a read failed, and whether trying again may help (an expired Page token never gets better by itself).</summary>
internal sealed record GraphFailure(string Message, bool Permanent);

/// <summary>Reads leads from the Graph API (<c>GET /{version}/{leadgen_id}?access_token=…</c>) at the configured base URL.</summary>
internal sealed class GraphLeadClient(IHttpClientFactory clients, IOptions<LeadAdsOptions> options)
{
    public const string ClientName = "facebook-graph";

    /// <summary>Meta's code for an access token that has expired or is not valid (with subcodes such as 463 for expired).</summary>
    public const int InvalidTokenCode = 190;

    public async Task<(GraphLead? Lead, GraphFailure? Failure)> GetLeadAsync(string version, string leadgenId, string accessToken, CancellationToken ct)
    {
        var url = $"{options.Value.GraphBaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(version)}/{Uri.EscapeDataString(leadgenId)}?access_token={Uri.EscapeDataString(accessToken)}";
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).GetAsync(url, ct);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (null, new GraphFailure($"the Graph API could not be reached: {exception.Message}", Permanent: false));
        }

        using (response)
        {
            JsonElement body;
            try
            {
                body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            }
            catch (JsonException)
            {
                return (null, new GraphFailure($"the Graph API answered {(int)response.StatusCode} with a body that is not JSON", Permanent: false));
            }

            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "no message";
                var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
                return code == InvalidTokenCode
                    ? (null, new GraphFailure($"the Page access token has expired or is not valid: renew it and save the connection again (Graph error {code}: {message})", Permanent: true))
                    : (null, new GraphFailure($"the Graph API answered {(int)response.StatusCode}: {message} (code {code})", Permanent: false));
            }

            if (!response.IsSuccessStatusCode || body.ValueKind != JsonValueKind.Object)
            {
                return (null, new GraphFailure($"the Graph API answered {(int)response.StatusCode}", Permanent: false));
            }

            return (Read(body), null);
        }
    }

    /// <summary>A field with several values (a multiple-choice question) keeps them together, as a hosted form does.</summary>
    private static GraphLead Read(JsonElement body)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (body.TryGetProperty("field_data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var field in data.EnumerateArray())
            {
                if (field.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                    && field.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
                {
                    var text = string.Join(", ", values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()));
                    fields.Add(KeyValuePair.Create(name.GetString()!, text));
                }
            }
        }

        return new GraphLead(Text(body, "form_id"), Text(body, "ad_id"), fields);
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
