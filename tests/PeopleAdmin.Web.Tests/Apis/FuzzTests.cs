using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>
/// Thousands of random and mutated requests (bodies, paths, headers, methods) to every API of the real server on
/// Kestrel, from a fixed seed so that a failure repeats. No answer may be a 5xx, and no body may show internals.
/// </summary>
[BothStores]
public sealed class FuzzTests
{
    private const int Seed = 19;
    private const int Requests = 3000;

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FUZZ"];

    private static readonly string[] Identifiers =
    [
        "person-1", "person%401@example.com", "cio_", "cio_zzz", "%20%20", "a%E2%80%8Bb", "%FF%FE", "%ED%A0%80", "%C3",
        "a%2Fb", "..", "%2E%2E", "%25", "%0A", "x%00y", new string('i', 200), "emoji%F0%9F%98%80", "null", "%E2%80%AE",
        "a+b@example.com", "%", "%%", "1", "-1", "9223372036854775808",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/vnd.x+json", "application/x-www-form-urlencoded",
        "text/plain", "multipart/form-data; boundary=x", "application/xml", "garbage", "application/json; charset=latin1", "",
    ];

    /// <summary>Paths with a placeholder {id} for an identifier, each with a body that the endpoint takes.</summary>
    private static readonly (string Method, string Path, string Body)[] Endpoints =
    [
        ("PUT", "/api/v1/customers/{id}", """{"email":"a@example.com","plan":"pro","created_at":1700000000,"_timestamp":1700000000,"vip":true,"n":1.5}"""),
        ("DELETE", "/api/v1/customers/{id}", ""),
        ("POST", "/api/v1/customers/{id}/suppress", "{}"),
        ("POST", "/api/v1/customers/{id}/unsuppress", "{}"),
        ("POST", "/api/v1/customers/{id}/events", """{"name":"bought","type":"event","timestamp":1700000000,"id":"e1","data":{"sku":"a","items":[{"n":1}]}}"""),
        ("PUT", "/api/v1/customers/{id}/devices", """{"device":{"id":"tok","platform":"ios","last_used":1700000000,"attributes":{"app":"1.0"}}}"""),
        ("DELETE", "/api/v1/customers/{id}/devices/{id}", ""),
        ("POST", "/api/v1/events", """{"name":"viewed","anonymous_id":"anon-1","data":{"url":"/x"}}"""),
        ("POST", "/api/v1/merge_customers", """{"primary":{"id":"person-1"},"secondary":{"email":"b@example.com"}}"""),
        ("POST", "/api/v1/segments/1/add_customers", """{"ids":["person-1","2"]}"""),
        ("POST", "/api/v1/segments/{id}/remove_customers", """{"ids":["person-1"]}"""),
        ("GET", "/api/v1/accounts/region", ""),
        ("POST", "/api/v2/entity", """{"type":"person","action":"identify","identifiers":{"id":"person-2"},"attributes":{"plan":"pro"},"timestamp":1700000000}"""),
        ("POST", "/api/v2/batch", """{"batch":[{"type":"person","action":"event","identifiers":{"email":"c@example.com"},"name":"x","attributes":{"a":1}},{"type":"person","action":"add_device","identifiers":{"id":"person-2"},"device":{"token":"t","platform":"android"}},{"type":"person","action":"merge","primary":{"id":"person-2"},"secondary":{"id":"person-3"}}]}"""),
        ("GET", "/v1/customers?email={id}", ""),
        ("GET", "/v1/customers/{id}/attributes?id_type=id", ""),
        ("GET", "/v1/customers/{id}/activities?id_type=email&limit=5&start={id}&type=event", ""),
        ("GET", "/v1/customers/{id}/segments?id_type=cio_id", ""),
        ("GET", "/v1/activities?limit={id}&type=page", ""),
        ("GET", "/v1/segments", ""),
        ("POST", "/v1/segments", """{"segment":{"name":"VIPs","description":"the best"}}"""),
        ("POST", "/v1/customers?start={id}&limit=5", """{"filter":{"and":[{"attribute":{"field":"plan","operator":"eq","value":"pro"}},{"or":[{"segment":{"id":1}},{"not":{"attribute":{"field":"n","operator":"gt","value":"1"}}}]}]}}"""),
        ("POST", "/v1/exports/customers", """{"filters":{"attribute":{"field":"email","operator":"exists"}},"attributes":["plan","n"]}"""),
        ("GET", "/v1/exports/{id}", ""),
        ("GET", "/v1/exports/1/download", ""),
        ("GET", "/exports/download/{id}", ""),
        ("GET", "/api/admin/v1/workspaces", ""),
        ("POST", "/api/admin/v1/workspaces", """{"name":"Fuzzed","settings":{"identifiers":"id_only","blocked_identifier_values":["x"],"rate_limit_per_second":5}}"""),
        ("GET", "/api/admin/v1/workspaces/1/settings", ""),
        ("PUT", "/api/admin/v1/workspaces/1/settings", """{"multi_identifier_merge":false,"allow_email_updates_by_id":true,"rate_limit_per_second":null}"""),
        ("PATCH", "/api/admin/v1/workspaces/{id}", """{"name":"Renamed"}"""),
        // Never workspace 1: deleting the default workspace would leave only 401s to fuzz.
        ("DELETE", "/api/admin/v1/workspaces/2", ""),
        ("POST", "/api/v1/forms/{id}/submit", """{"data":{"email":"f@example.com","name":"Ann","message":"hello"}}"""),
        ("POST", "/forms/sitetest0000000001/{id}", "email=f%40example.com&name=Ann&_gotcha="),
        ("POST", "/forms/sitetest0000000001/contact", "email=f%40example.com&name=Ann"),
        ("POST", "/api/v1/browser/identify?site_id=sitetest0000000001", """{"id":"person-9","email":"s@example.com","anonymous_id":"anon-1","plan":"pro"}"""),
        ("POST", "/api/v1/browser/events?site_id=sitetest0000000001", """{"name":"viewed","type":"page","anonymous_id":"anon-1","data":{"url":"https://shop.example.com/"}}"""),
        ("POST", "/api/v1/webhooks/{id}", """{"customer":{"email":"w@example.com"},"plan":"pro"}"""),
        ("GET", "/api/admin/v1/workspaces/1/merges?person=cio_{id}", ""),
        ("POST", "/api/admin/v1/workspaces/1/merges/{id}/undo", ""),
        ("POST", "/api/admin/v1/workspaces/1/rules", """{"name":"Plan","trigger":{"event":"upgraded"},"target":{"person":"event"},"attributes":{"plan":"{{ event.data.plan }}"}}"""),
        ("POST", "/integrations/facebook/sitetest0000000001/webhook", """{"object":"page","entry":[{"id":"123","time":1700000000,"changes":[{"field":"leadgen","value":{"leadgen_id":"{id}","page_id":"123","form_id":"4","ad_id":"5"}}]}]}"""),
        ("GET", "/integrations/facebook/sitetest0000000001/webhook?hub.mode=subscribe&hub.verify_token={id}&hub.challenge=1", ""),
        ("POST", "/api/admin/v1/workspaces/1/imports", ImportUpload),
        ("GET", "/api/admin/v1/workspaces/1/imports/{id}", ""),
        ("POST", "/api/admin/v1/workspaces/1/imports/1/start", ""),
        ("POST", "/api/admin/v1/workspaces/1/imports/1/cancel", ""),
        ("GET", "/api/admin/v1/workspaces/1/imports/1/errors.csv", ""),
        ("GET", "/api/admin/v1/workspaces/1/imports/1/warnings.csv", ""),
        ("GET", "/api/admin/v1/workspaces/1/imports/1/people?start=0&limit=10&outcome=created", ""),
        ("POST", "/v1/imports", """{"import":{"name":"Fuzz","data_file_url":"http://127.0.0.1:9/people.csv","type":"people","identifier":"id","data_to_process":"all"}}"""),
        ("GET", "/v1/imports/{id}", ""),
        ("POST", "/api/admin/v1/workspaces/1/object-types", """{"name":"Accounts {id}"}"""),
        ("GET", "/api/admin/v1/workspaces/1/object-types", ""),
        ("PATCH", "/api/admin/v1/workspaces/1/object-types/1", """{"name":"{id}"}"""),
        ("POST", "/api/v2/entity", """{"type":"object","action":"identify","identifiers":{"object_type_id":"1","object_id":"{id}"},"attributes":{"name":"Acme","seats":5},"cio_relationships":[{"identifiers":{"id":"person-1"},"relationship_attributes":{"role":"admin"}}]}"""),
        ("POST", "/api/v2/entity", """{"type":"object","action":"delete_relationships","identifiers":{"object_type_id":"1","object_id":"acme"},"cio_relationships":[{"identifiers":{"email":"{id}"}}]}"""),
        ("POST", "/api/v2/entity", """{"type":"person","action":"add_relationships","identifiers":{"id":"{id}"},"cio_relationships":[{"identifiers":{"object_type_id":"1","object_id":"acme"},"relationship_attributes":{"role":"x"}}]}"""),
        ("PUT", "/api/v1/customers/{id}", """{"plan":"pro","cio_relationships":{"action":"add_relationships","relationships":[{"identifiers":{"object_type_id":"1","object_id":"acme"}}]}}"""),
        ("GET", "/v1/customers/{id}/relationships?id_type=id", ""),
        ("GET", "/v1/objects/1/{id}/attributes", ""),
        ("GET", "/v1/objects/{id}/acme/relationships?limit=5&start={id}", ""),
        ("POST", "/api/admin/v1/workspaces/1/sync-connections", """{"name":"{id}","kind":"postgres","host":"127.0.0.1","port":1,"database":"app","user":"reader","password":"secret","ssl_mode":"disable"}"""),
        ("PUT", "/api/admin/v1/workspaces/1/sync-connections/1", """{"name":"Warehouse","kind":"mysql","host":"127.0.0.1","port":1,"database":"{id}","user":"reader","ssl_mode":"require"}"""),
        ("GET", "/api/admin/v1/workspaces/1/sync-connections", ""),
        ("POST", "/api/admin/v1/workspaces/1/sync-connections/{id}/test", ""),
        ("POST", "/api/admin/v1/workspaces/1/syncs", """{"name":"{id}","connection_id":1,"query":"select id, email from people where updated_at > {{last_sync_time}}","interval":"15m","identifier":"id","data_to_process":"only_new","empty_values":"remove","segment":{"name":"Synced"},"paused":true}"""),
        ("PUT", "/api/admin/v1/workspaces/1/syncs/1", """{"name":"S","connection_id":1,"query":"select * from people","interval":"1h","identifier":"email","reset_last_sync_time":true}"""),
        // {id} never ends a sync path: ".." would make it the workspace's own path, which a fuzzed DELETE removes.
        ("GET", "/api/admin/v1/workspaces/1/syncs/1", ""),
        ("POST", "/api/admin/v1/workspaces/1/syncs/{id}/run", ""),
        ("GET", "/api/admin/v1/workspaces/1/syncs/1/runs/{id}", ""),
        ("GET", "/api/admin/v1/workspaces/1/syncs/1/runs/{id}/errors.csv", ""),
        ("GET", "/api/admin/v1/workspaces/1/syncs/1/runs/{id}/warnings.csv", ""),
        ("DELETE", "/api/admin/v1/workspaces/1/syncs/2", ""),
        ("GET", "/imports/{id}/errors.csv", ""),
        ("GET", "/imports/1/warnings.csv", ""),
        ("GET", "/api/{id}", ""),
        ("GET", "/v1/{id}/{id}", ""),
    ];

    /// <summary>A management API import upload: its options and a small file, as multipart/form-data with <see cref="ImportBoundary"/>.</summary>
    private const string ImportUpload = "--fuzzboundary\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n{\"identifier\":\"id\",\"segment\":{\"name\":\"Fuzz\"}}\r\n"
        + "--fuzzboundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\nid,email,plan\r\nperson-1,f@example.com,pro\r\n\r\n--fuzzboundary--\r\n";

    private const string ImportBoundary = "multipart/form-data; boundary=fuzzboundary";

    /// <summary>Fragments that break parsers and readers: escapes of lone surrogates, huge numbers, deep nesting, markup.</summary>
    private static readonly string[] Poison =
    [
        "\"\\ud800\"", "\"\\udc00x\"", "99999999999999999999999", "-0", "1e400", "9223372036854775807", "-9223372036854775809",
        "\"9223372036854775807\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "null", "true", "{}", "[]",
        "\"<script>alert(1)</script>\"", "\"\\u0000\"", "\"\u200B\"", "\"   \"", "\"\"", "999999999999999", "99999999999999",
        "{\"\\ud800\":1}", "\"" + new string('x', 1500) + "\"",
    ];

    [Fact]
    public async Task ThousandsOfRandomAndMutatedRequestsGetNo5xxAndNoInternals()
    {
        await using var factory = CreateFactory()
            .With("PeopleAdmin:RateLimit:FailedAuthenticationsPerMinute", "1000000")
            .With("PeopleAdmin:RateLimit:RequestsPerSecond", "1000000")
            .With("PeopleAdmin:Imports:AllowedUrlHosts:0", "127.0.0.1");
        using var kestrel = factory.CreateKestrelClient();
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = kestrel.BaseAddress };
        // A submission registers the form, so that the hosted action has one to take.
        using (var register = await factory.TrackClient().PostAsync(
            new Uri("/api/v1/forms/contact/submit", UriKind.Relative), Json("""{"data":{"email":"first@example.com"}}"""), TestContext.Current.CancellationToken))
        {
            register.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var random = new Random(Seed);
        var failures = new List<string>();

        for (var i = 0; i < Requests && failures.Count < 10; i++)
        {
            using var request = NextRequest(random);
            var sent = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            var described = $"#{i}: {request.Method} {request.RequestUri} [{request.Content?.Headers.ContentType}] {Convert.ToBase64String(sent.AsSpan(0, Math.Min(200, sent.Length)))}";
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if ((int)response.StatusCode >= 500 || ShowsInternals(body))
            {
                failures.Add($"{described} → {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
            }
        }

        failures.ShouldBeEmpty();
        using var healthy = await factory.TrackClient().PutAsync(new Uri("/api/v1/customers/after-fuzz", UriKind.Relative), Json("{}"), TestContext.Current.CancellationToken);
        healthy.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static HttpRequestMessage NextRequest(Random random)
    {
        var roll = random.Next(100);
        if (roll < 6)
        {
            return SignInRequest(random);
        }

        var (method, path, body) = Endpoints[random.Next(Endpoints.Length)];
        if (random.Next(8) == 0)
        {
            method = Methods[random.Next(Methods.Length)];
        }

        path = path.Replace("{id}", random.Next(3) == 0 ? Identifiers[random.Next(Identifiers.Length)] : "person-1", StringComparison.Ordinal);
        var bytes = Mutate(random, Encoding.UTF8.GetBytes(body));
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is not ("GET" or "HEAD" or "TRACE") || random.Next(10) == 0)
        {
            var content = new ByteArrayContent(bytes);
            var type = random.Next(4) == 0 ? ContentTypes[random.Next(ContentTypes.Length)]
                : path.StartsWith("/forms/", StringComparison.Ordinal) ? "application/x-www-form-urlencoded"
                : path.EndsWith("/imports", StringComparison.Ordinal) ? ImportBoundary
                : "application/json";
            content.Headers.ContentType = type.Length == 0 ? null : MediaTypeHeaderValue.TryParse(type, out var parsed) ? parsed : null;
            if (content.Headers.ContentType is null && type.Length > 0)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", type);
            }

            request.Content = content;
        }

        request.Headers.TryAddWithoutValidation("Authorization", Authorization(random, path));
        if (random.Next(20) == 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", random.Next(2) == 0 ? "text/html" : "*/*;q=");
        }

        return request;
    }

    private static string Authorization(Random random, string path)
    {
        var right = path.StartsWith("/api/admin", StringComparison.Ordinal) ? "Bearer " + AdminToken
            : path.StartsWith("/api/", StringComparison.Ordinal) ? "Basic " + Basic(SiteId, TrackKey)
            : "Bearer " + AppKey;
        return random.Next(16) switch
        {
            0 => "",
            1 => "Basic " + Convert.ToBase64String(RandomBytes(random, random.Next(1, 40))),
            2 => "Basic " + Convert.ToBase64String([.. "site:"u8, 0xFF, 0xFE]),
            3 => "Bearer " + new string('x', random.Next(0, 3000)),
            4 => "Basic !!!not-base64%%%",
            _ => right,
        };
    }

    /// <summary>The sign-in form, with missing, forged or absent antiforgery tokens and odd return addresses.</summary>
    private static HttpRequestMessage SignInRequest(Random random)
    {
        string[] returnUrls = ["https://evil.example/", "//evil.example", "/\\evil.example", "%ZZ", "javascript:alert(1)", "/people"];
        string[] pages = ["/Account/Login", "/Account/Login", "/setup", "/", "/people", "/settings", "/Account/Manage/ChangePassword", "/Account/Logout", "/not-found"];
        var url = pages[random.Next(pages.Length)] + "?ReturnUrl=" + Uri.EscapeDataString(returnUrls[random.Next(returnUrls.Length)]);
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = random.Next(3) == 0 ? "nope" : "login",
            ["Input.Email"] = random.Next(2) == 0 ? "owner@example.test" : "\ud800@x",
            ["Input.Password"] = "guess",
        };
        if (random.Next(2) == 0)
        {
            fields["__RequestVerificationToken"] = Convert.ToBase64String(RandomBytes(random, 30));
        }

        return new HttpRequestMessage(random.Next(5) == 0 ? HttpMethod.Get : HttpMethod.Post, new Uri(url, UriKind.Relative))
        {
            Content = random.Next(4) == 0 ? new ByteArrayContent(RandomBytes(random, 64)) : new FormUrlEncodedContent(fields),
        };
    }

    private static byte[] Mutate(Random random, byte[] body)
    {
        switch (random.Next(10))
        {
            case 0:
                return RandomBytes(random, random.Next(0, 600));
            case 1 when body.Length > 0:
                var flipped = (byte[])body.Clone();
                for (var n = random.Next(1, 6); n > 0; n--)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }

                return flipped;
            case 2 when body.Length > 0:
                return body[..random.Next(body.Length)];
            case 3 or 4 when body.Length > 2:
                return SpliceValue(random, Encoding.UTF8.GetString(body), Poison[random.Next(Poison.Length)]);
            case 5 when body.Length > 2:
                var key = Poison[random.Next(Poison.Length)];
                return Encoding.UTF8.GetBytes("{" + (key.StartsWith('"') ? key : $"\"{key}\"") + ":" + Poison[random.Next(Poison.Length)] + "," + Encoding.UTF8.GetString(body)[1..]);
            case 6:
                return [.. body, 0xC3];
            default:
                return body;
        }
    }

    /// <summary>Puts <paramref name="poison"/> where one of the body's values starts.</summary>
    private static byte[] SpliceValue(Random random, string json, string poison)
    {
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':').ToList();
        if (colons.Count == 0)
        {
            return Encoding.UTF8.GetBytes(json);
        }

        var at = colons[random.Next(colons.Count)] + 1;
        var end = at;
        var depth = 0;
        var inString = false;
        for (; end < json.Length; end++)
        {
            var c = json[end];
            if (inString)
            {
                inString = c != '"' || json[end - 1] == '\\';
                continue;
            }

            if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']' && depth-- == 0)
            {
                break;
            }
            else if (c == ',' && depth == 0)
            {
                break;
            }
        }

        return Encoding.UTF8.GetBytes(json[..at] + poison + json[end..]);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static bool ShowsInternals(string body) =>
        body.Contains("   at ", StringComparison.Ordinal)
        || body.Contains("Exception", StringComparison.Ordinal)
        || body.Contains("Microsoft.", StringComparison.Ordinal)
        || body.Contains("System.", StringComparison.Ordinal)
        || body.Contains("SQLite", StringComparison.OrdinalIgnoreCase)
        || body.Contains(".cs:line", StringComparison.Ordinal);
}
