using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>Track API requests that reach the identity service, read back through it.</summary>
[BothStores]
public sealed class TrackRoundTripTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;
    private HttpClient _client = null!;
    private int _workspaceId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PeopleService People => _factory.Services.GetRequiredService<PeopleService>();

    public async ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        _client = _factory.CreateKestrelClient();
        _client.DefaultRequestHeaders.Authorization = new("Basic", Basic(SiteId, TrackKey));
        _workspaceId = (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task IdentifyAnswersExactlyAnEmptyObjectAndStoresThePerson()
    {
        using var response = await _client.PutAsync(new Uri("/api/v1/customers/person-1", UriKind.Relative), Json("{\"email\": \"p1@example.com\", \"plan\": \"pro\", \"seats\": 3, \"data\": null}"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("{}");
        var person = await People.GetPersonAsync(_workspaceId, PersonReference.ForId("person-1"), Ct);
        person!.Email.ShouldBe("p1@example.com");
        person.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("pro");
    }

    [Fact]
    public async Task ArraysAndObjectsSentThroughV1AndV2AreStoredAndTheAppApiAnswersTheirJsonText()
    {
        using var v1 = await _client.PutAsync(new Uri("/api/v1/customers/json-1", UriKind.Relative),
            Json("{\"tags\": [\"a\", \"b\"], \"address\": {\"city\": \"Paris\"}, \"plan\": \"pro\"}"), Ct);
        using var v2 = await _client.PostAsync(new Uri("/api/v2/entity", UriKind.Relative),
            Json("{\"type\": \"person\", \"action\": \"identify\", \"identifiers\": {\"id\": \"json-2\"}, \"attributes\": {\"orders\": [{\"sku\": \"x1\", \"qty\": 2}]}}"), Ct);
        using var app = _factory.AppClient();

        using var read = await app.GetAsync(new Uri("/v1/customers/json-1/attributes", UriKind.Relative), Ct);

        v1.StatusCode.ShouldBe(HttpStatusCode.OK);
        v2.StatusCode.ShouldBe(HttpStatusCode.OK);
        var attributes = (await read.ReadJsonAsync()).GetProperty("customer").GetProperty("attributes");
        attributes.GetProperty("tags").GetString().ShouldBe("[\"a\",\"b\"]");
        attributes.GetProperty("address").GetString().ShouldBe("{\"city\":\"Paris\"}");
        attributes.GetProperty("plan").GetString().ShouldBe("pro");
        var second = await People.GetPersonAsync(_workspaceId, PersonReference.ForId("json-2"), Ct);
        second!.Attributes.Single().ShouldSatisfyAllConditions(
            a => a.Type.ShouldBe(AttributeType.Json),
            a => a.Value.ShouldBe("[{\"sku\":\"x1\",\"qty\":2}]"));
    }

    [Theory]
    [InlineData("team%2Fsales", ReferenceKind.Id, "team/sales")]
    [InlineData("team%252Fsales", ReferenceKind.Id, "team%2Fsales")]
    [InlineData("a+b%40example.com", ReferenceKind.Email, "a+b@example.com")]
    [InlineData("a+b@example.com", ReferenceKind.Email, "a+b@example.com")]
    [InlineData("%2B15551234567", ReferenceKind.Id, "+15551234567")]
    public async Task ThePathIdentifierIsDecodedOnceFromTheRawTarget(string raw, ReferenceKind kind, string stored)
    {
        using var response = await _client.PutAsync(new Uri("/api/v1/customers/" + raw, UriKind.Relative), Json("{\"plan\": \"pro\"}"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var person = await People.GetPersonAsync(_workspaceId, new PersonReference(kind, stored), Ct);
        person.ShouldNotBeNull();
        (kind == ReferenceKind.Id ? person.Id : person.Email).ShouldBe(stored);
    }

    [Fact]
    public async Task AKeyOfOneWorkspaceNeverReadsOrChangesAnother()
    {
        var other = await _factory.CreateWorkspaceAsync("Other");
        using var otherClient = _factory.TrackClient(other.Keys.SiteId, other.Keys.TrackApiKey);

        using var mine = await _client.PutAsync(new Uri("/api/v1/customers/shared", UriKind.Relative), Json("{\"plan\": \"mine\"}"), Ct);
        using var theirs = await otherClient.PutAsync(new Uri("/api/v1/customers/shared", UriKind.Relative), Json("{\"plan\": \"theirs\"}"), Ct);
        using var mixedCredentials = _factory.TrackClient(other.Keys.SiteId, TrackKey);
        using var refused = await mixedCredentials.PutAsync(new Uri("/api/v1/customers/shared", UriKind.Relative), Json("{\"plan\": \"hijack\"}"), Ct);

        mine.StatusCode.ShouldBe(HttpStatusCode.OK);
        theirs.StatusCode.ShouldBe(HttpStatusCode.OK);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await People.GetPersonAsync(_workspaceId, PersonReference.ForId("shared"), Ct))!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("mine");
        (await People.GetPersonAsync(other.Workspace.Id, PersonReference.ForId("shared"), Ct))!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("theirs");
    }

    [Fact]
    public async Task ABatchAppliesItsGoodItemsAndAnswers207ForTheBadOnes()
    {
        var json = """
            {"batch": [
              {"type": "person", "action": "identify", "identifiers": {"id": "b1"}, "attributes": {"plan": "a"}},
              {"type": "object", "action": "identify", "identifiers": {"object_type_id": "1", "object_id": "acme"}},
              {"type": "person", "action": "identify", "identifiers": {"id": "b2"}, "attributes": {"bad": 1e400}},
              {"type": "person", "action": "identify", "identifiers": {"email": "b3@example.com"}, "attributes": {"plan": "c"}}
            ]}
            """;

        using var response = await _client.PostAsync(new Uri("/api/v2/batch", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.MultiStatus);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateArray().ToList();
        errors.Select(e => e.GetProperty("batch_index").GetInt32()).ShouldBe([1, 2]);
        (await People.GetPersonAsync(_workspaceId, PersonReference.ForId("b1"), Ct)).ShouldNotBeNull();
        (await People.GetPersonAsync(_workspaceId, PersonReference.ForId("b2"), Ct)).ShouldBeNull();
        (await People.GetPersonAsync(_workspaceId, PersonReference.ForEmail("b3@example.com"), Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task AnAllGoodBatchAndAnEntityAnswerExactlyAnEmptyObject()
    {
        using var batch = await _client.PostAsync(new Uri("/api/v2/batch", UriKind.Relative), Json("{\"batch\": [{\"type\": \"person\", \"action\": \"identify\", \"identifiers\": {\"id\": \"g1\"}}]}"), Ct);
        using var entity = await _client.PostAsync(new Uri("/api/v2/entity", UriKind.Relative), Json("{\"type\": \"person\", \"action\": \"identify\", \"identifiers\": {\"id\": \"g2\"}, \"attributes\": {\"plan\": \"x\"}, \"timestamp\": 1700000000}"), Ct);

        batch.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await batch.Content.ReadAsStringAsync(Ct)).ShouldBe("{}");
        entity.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await entity.Content.ReadAsStringAsync(Ct)).ShouldBe("{}");
        (await People.GetPersonAsync(_workspaceId, PersonReference.ForId("g2"), Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task BadInputOfEveryKindChangesNothing()
    {
        var random = new Random(7);
        var bytes = new byte[2048];
        random.NextBytes(bytes);
        var requests = new (HttpMethod Method, string Path, HttpContent Body)[]
        {
            (HttpMethod.Put, "/api/v1/customers/bad-1", Json("{\"email\": ")),
            (HttpMethod.Put, "/api/v1/customers/bad-2", Json("{\"plan\": 1e400}")),
            (HttpMethod.Put, "/api/v1/customers/bad-3", Json("{\"note\": \"" + new string('x', 1024 * 1024) + "\"}")),
            (HttpMethod.Put, "/api/v1/customers/bad-4", new ByteArrayContent(bytes)),
            (HttpMethod.Put, "/api/v1/customers/bad-5", Json("{\"" + new string('n', 200) + "\": 1}")),
            (HttpMethod.Put, "/api/v1/customers/" + new string('i', 151), Json("{}")),
            (HttpMethod.Post, "/api/v2/entity", Json("{\"type\": \"person\", \"action\": \"identify\", \"identifiers\": {\"id\": 1.5}}")),
            (HttpMethod.Post, "/api/v2/batch", Json("{\"batch\": [{\"type\": \"person\", \"action\": \"identify\", \"identifiers\": {\"id\": \"bad-6\"}, \"attributes\": {\"x\": 1e400}}]}")),
        };

        foreach (var (method, path, body) in requests)
        {
            using var response = await _client.SendAsync(new HttpRequestMessage(method, path) { Content = body }, Ct);
            if (path.EndsWith("batch", StringComparison.Ordinal))
            {
                response.StatusCode.ShouldBe(HttpStatusCode.MultiStatus);
            }
            else
            {
                ((int)response.StatusCode).ShouldBeInRange(400, 499, path);
            }

            await response.ReadJsonAsync();
        }

        var activity = await People.GetActivityAsync(new ActivityQuery(_workspaceId, null, null, 10, null), Ct);
        activity.Items.ShouldBeEmpty();
    }
}
