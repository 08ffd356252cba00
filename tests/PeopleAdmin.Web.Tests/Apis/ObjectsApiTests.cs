using System.Net;
using System.Text.Json;
using PeopleAdmin.Tests;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>Objects and relationships over HTTP: object types (management API), Track v1 and v2, the App API's reads.</summary>
[BothStores]
public sealed class ObjectsApiTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;
    private HttpClient _track = null!;
    private HttpClient _app = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        _track = _factory.TrackClient();
        _app = _factory.AppClient();
        _admin = _factory.AdminClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _track.Dispose();
        _app.Dispose();
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task ObjectTypesAreCreatedListedAndRenamedThroughTheManagementApi()
    {
        using var accounts = await _admin.PostAsync(Uri("/api/admin/v1/workspaces/1/object-types"), Json("""{"name":"Accounts"}"""), Ct);
        using var courses = await _admin.PostAsync(Uri("/api/admin/v1/workspaces/1/object-types"), Json("""{"name":"Courses"}"""), Ct);
        using var again = await _admin.PostAsync(Uri("/api/admin/v1/workspaces/1/object-types"), Json("""{"name":"Accounts"}"""), Ct);
        using var renamed = await _admin.PatchAsync(Uri("/api/admin/v1/workspaces/1/object-types/2"), Json("""{"name":"Online courses"}"""), Ct);
        using var unknownType = await _admin.PatchAsync(Uri("/api/admin/v1/workspaces/1/object-types/9"), Json("""{"name":"Flights"}"""), Ct);
        using var unknownWorkspace = await _admin.PostAsync(Uri("/api/admin/v1/workspaces/99/object-types"), Json("""{"name":"Flights"}"""), Ct);
        using var listed = await _admin.GetAsync(Uri("/api/admin/v1/workspaces/1/object-types"), Ct);

        accounts.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await accounts.ReadJsonAsync()).GetRawText().ShouldBe("""{"object_type_id":"1","name":"Accounts"}""");
        (await courses.ReadJsonAsync()).GetProperty("object_type_id").GetString().ShouldBe("2");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        unknownType.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknownWorkspace.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await listed.ReadJsonAsync()).GetRawText().ShouldBe("""[{"object_type_id":"1","name":"Accounts"},{"object_type_id":"2","name":"Online courses"}]""");
    }

    [Fact]
    public async Task AnObjectIdentifiedWithPeopleIsReadBackWithItsAttributesAndRelationships()
    {
        await CreateAccountsAsync();
        await IdentifyPersonAsync("p1", """{"email":"p1@example.com"}""");

        await EntityAsync("""
            {"type":"object","action":"identify","identifiers":{"object_type_id":"1","object_id":"acme"},
             "attributes":{"name":"Acme","seats":50,"bill_date":1767225600},
             "cio_relationships":[{"identifiers":{"id":"p1"},"relationship_attributes":{"role":"admin"}},{"identifiers":{"id":"ghost"}}]}
            """);
        var attributes = await GetJsonAsync("/v1/objects/1/acme/attributes");
        var related = await GetJsonAsync("/v1/objects/1/acme/relationships");
        var objects = await GetJsonAsync("/v1/customers/p1/relationships");

        var found = attributes.GetProperty("object");
        found.GetProperty("object_type_id").GetString().ShouldBe("1");
        found.GetProperty("object_id").GetString().ShouldBe("acme");
        found.GetProperty("cio_object_id").GetString()!.ShouldStartWith("ob");
        found.GetProperty("attributes").GetRawText().ShouldBe("""{"bill_date":"1767225600","name":"Acme","seats":"50"}""");
        var person = related.GetProperty("cio_relationships").EnumerateArray().ShouldHaveSingleItem();
        person.GetProperty("identifiers").GetProperty("id").GetString().ShouldBe("p1");
        person.GetProperty("identifiers").GetProperty("email").GetString().ShouldBe("p1@example.com");
        person.GetProperty("relationship_attributes").GetRawText().ShouldBe("""{"role":"admin"}""");
        objects.GetRawText().ShouldBe("""{"cio_relationships":[{"identifiers":{"object_type_id":"1","object_id":"acme"},"relationship_attributes":{"role":"admin"}}]}""");
    }

    [Fact]
    public async Task TrackV1sCioRelationshipsAddAndDeleteAPersonsRelationships()
    {
        await CreateAccountsAsync();
        await EntityAsync("""{"type":"object","action":"identify","identifiers":{"object_type_id":"1","object_id":"acme"}}""");

        await IdentifyPersonAsync("p2", """{"plan":"pro","cio_relationships":{"action":"add_relationships","relationships":[{"identifiers":{"object_type_id":"1","object_id":"acme"},"relationship_attributes":{"role":"member"}}]}}""");
        var added = await GetJsonAsync("/v1/customers/p2/relationships");
        var attributes = await GetJsonAsync("/v1/customers/p2/attributes");
        await IdentifyPersonAsync("p2", """{"cio_relationships":{"action":"delete_relationships","relationships":[{"identifiers":{"object_type_id":1,"object_id":"acme"}}]}}""");
        var deleted = await GetJsonAsync("/v1/customers/p2/relationships");

        added.GetProperty("cio_relationships")[0].GetProperty("relationship_attributes").GetProperty("role").GetString().ShouldBe("member");
        attributes.GetProperty("customer").GetProperty("attributes").TryGetProperty("cio_relationships", out _).ShouldBeFalse();
        deleted.GetProperty("cio_relationships").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task TrackV2RelatesAPersonByIdentifyAndByTheRelationshipActionsAndDeletesObjects()
    {
        await CreateAccountsAsync();
        await EntityAsync("""{"type":"object","action":"identify","identifiers":{"object_type_id":"1","object_id":"acme"}}""");
        await EntityAsync("""{"type":"object","action":"identify","identifiers":{"object_type_id":"1","object_id":"globex"}}""");

        await EntityAsync("""{"type":"person","action":"identify","identifiers":{"id":"p3"},"cio_relationships":[{"identifiers":{"object_type_id":"1","object_id":"acme"}}]}""");
        await EntityAsync("""{"type":"person","action":"add_relationships","identifiers":{"id":"p3"},"cio_relationships":[{"identifiers":{"object_type_id":"1","object_id":"globex"},"relationship_attributes":{"seat":"a"}}]}""");
        var both = await GetJsonAsync("/v1/customers/p3/relationships");
        await EntityAsync("""{"type":"person","action":"delete_relationships","identifiers":{"id":"p3"},"cio_relationships":[{"identifiers":{"object_type_id":"1","object_id":"acme"}}]}""");
        await EntityAsync("""{"type":"object","action":"delete","identifiers":{"object_type_id":"1","object_id":"globex"}}""");
        var none = await GetJsonAsync("/v1/customers/p3/relationships");
        using var gone = await _app.GetAsync(Uri("/v1/objects/1/globex/attributes"), Ct);

        both.GetProperty("cio_relationships").EnumerateArray().Select(r => r.GetProperty("identifiers").GetProperty("object_id").GetString()).ShouldBe(["acme", "globex"]);
        none.GetProperty("cio_relationships").GetArrayLength().ShouldBe(0);
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnObjectsPeopleArePagedWithNext()
    {
        await CreateAccountsAsync();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await IdentifyPersonAsync(id, "{}");
        }

        await EntityAsync("""{"type":"object","action":"add_relationships","identifiers":{"object_type_id":"1","object_id":"acme"},"cio_relationships":[{"identifiers":{"id":"a"}}]}""");
        await EntityAsync("""{"type":"object","action":"identify","identifiers":{"object_type_id":"1","object_id":"acme"},"cio_relationships":[{"identifiers":{"id":"a"}},{"identifiers":{"id":"b"}},{"identifiers":{"id":"c"}}]}""");

        var first = await GetJsonAsync("/v1/objects/1/acme/relationships?limit=2");
        var second = await GetJsonAsync($"/v1/objects/1/acme/relationships?limit=2&start={first.GetProperty("next").GetString()}");

        Ids(first).ShouldBe(["a", "b"]);
        Ids(second).ShouldBe(["c"]);
        second.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    public static TheoryData<string, string, string> BadObjectOperations => new()
    {
        { """{"type":"object","action":"identify","identifiers":{"object_type_id":"7","object_id":"acme"}}""", "identifiers.object_type_id", "object type \"7\" does not exist in this workspace" },
        { """{"type":"object","action":"identify","identifiers":{"object_type_id":"1"}}""", "identifiers.object_id", "identifiers.object_id is required" },
        { """{"type":"object","action":"identify","identifiers":{"object_type_id":"1","object_id":"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO"}}""", "identifiers.object_id", "object_id is 151 bytes; the limit is 150 bytes" },
        { """{"type":"object","action":"identify_anonymous","identifiers":{"object_type_id":"1","object_id":"acme"},"anonymous_id":"x"}""", "action", "identify_anonymous is not available in PeopleAdmin" },
        { """{"type":"object","action":"add_relationships","identifiers":{"object_type_id":"1","object_id":"acme"}}""", "cio_relationships", "cio_relationships is required" },
        { """{"type":"object","action":"add_relationships","identifiers":{"object_type_id":"1","object_id":"acme"},"cio_relationships":[{"identifiers":{"id":"a","email":"a@x.com"}}]}""", "cio_relationships[0].identifiers", "exactly one identifier" },
        { """{"type":"person","action":"identify","identifiers":{"id":"a"},"cio_relationships":[{"identifiers":{"object_type_id":"one","object_id":"acme"}}]}""", "cio_relationships[0].identifiers.object_type_id", "must be an object type's id" },
        { """{"type":"person","action":"identify","identifiers":{"id":"a"},"cio_relationships":{"object_id":"acme"}}""", "cio_relationships", "must be an array" },
    };

    [Theory]
    [MemberData(nameof(BadObjectOperations))]
    public async Task BadObjectOperationsAnswer400NamingTheField(string json, string field, string message)
    {
        await CreateAccountsAsync();

        using var response = await _track.PostAsync(Uri("/api/v2/entity"), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await response.V2ErrorAsync();
        error.GetProperty("field").GetString().ShouldBe(field);
        error.GetProperty("message").GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task ABadV1CioRelationshipsAnswers400AndAppliesNothing()
    {
        using var response = await _track.PutAsync(Uri("/api/v1/customers/p9"), Json("""{"plan":"pro","cio_relationships":{"action":"add_relationships","relationships":[{"identifiers":{"object_type_id":"3","object_id":"x"}}]}}"""), Ct);
        using var person = await _app.GetAsync(Uri("/v1/customers/p9/attributes"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V1ErrorAsync()).ShouldStartWith("object type \"3\" does not exist");
        person.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReadsOfWhatDoesNotExistAnswer404()
    {
        await CreateAccountsAsync();

        using var noObject = await _app.GetAsync(Uri("/v1/objects/1/nope/relationships"), Ct);
        using var noType = await _app.GetAsync(Uri("/v1/objects/5/acme/attributes"), Ct);
        using var noPerson = await _app.GetAsync(Uri("/v1/customers/nobody/relationships"), Ct);
        using var badType = await _app.GetAsync(Uri("/v1/objects/accounts/acme/attributes"), Ct);

        noObject.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        noType.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        noPerson.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        badType.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static Uri Uri(string path) => new(path, UriKind.Relative);

    private static List<string?> Ids(JsonElement page) =>
        [.. page.GetProperty("cio_relationships").EnumerateArray().Select(r => r.GetProperty("identifiers").GetProperty("id").GetString())];

    private async Task CreateAccountsAsync()
    {
        using var created = await _admin.PostAsync(Uri("/api/admin/v1/workspaces/1/object-types"), Json("""{"name":"Accounts"}"""), Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    private async Task IdentifyPersonAsync(string id, string body)
    {
        using var response = await _track.PutAsync(Uri("/api/v1/customers/" + id), Json(body), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task EntityAsync(string json)
    {
        using var response = await _track.PostAsync(Uri("/api/v2/entity"), Json(json), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _app.GetAsync(Uri(path), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.ReadJsonAsync();
    }
}
