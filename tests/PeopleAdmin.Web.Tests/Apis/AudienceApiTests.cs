using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>The App API's search (<c>POST /v1/customers</c>) and exports, through the real host and its auth.</summary>
[BothStores]
public sealed class AudienceApiTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;
    private HttpClient _client = null!;
    private int _workspaceId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = CreateFactory().With("PeopleAdmin:PublicBaseUrl", "https://people.example.com/");
        _client = _factory.AppClient();
        _workspaceId = (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
        var people = _factory.Services.GetRequiredService<PeopleService>();
        for (var i = 1; i <= 7; i++)
        {
            var body = new Dictionary<string, AttributeValue>
            {
                ["email"] = AttributeValue.FromString($"p{i}@example.com"),
                ["plan"] = AttributeValue.FromString(i % 2 == 0 ? "pro" : "free"),
                ["age"] = AttributeValue.FromNumber(20 + i),
            };
            if (i == 3)
            {
                body["note"] = AttributeValue.FromString("says \"hi\", twice");
            }

            await people.ExecuteAsync(new OperationContext(_workspaceId, Sources.Api), new IdentifyOperation(PersonReference.ForId($"p{i}"), body), Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task SearchPagesThroughTheMatchingPeopleOldestFirstWithStartAndNext()
    {
        // Arrange
        const string filter = """{"filter":{"and":[{"attribute":{"field":"age","operator":"gt","value":21}},{"not":{"attribute":{"field":"plan","operator":"eq","value":"pro"}}}]}}""";
        var ids = new List<string?>();
        string? next = null;
        var pages = 0;

        // Act
        do
        {
            var body = await PostJsonAsync("/v1/customers?limit=2" + (next is null ? "" : "&start=" + next), filter);
            ids.AddRange(body.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
            body.GetProperty("identifiers").EnumerateArray().Select(i => i.GetProperty("email").GetString())
                .ShouldBe(body.GetProperty("ids").EnumerateArray().Select(i => i.GetString() + "@example.com"));
            next = body.GetProperty("next").GetString();
            pages++;
        }
        while (!string.IsNullOrEmpty(next) && pages < 10);

        // Assert
        ids.ShouldBe(["p3", "p5", "p7"]);
        pages.ShouldBe(2);
    }

    [Fact]
    public async Task SearchWithoutALimitAnswersUpToFiftyAndNoNext()
    {
        // Act
        var body = await PostJsonAsync("/v1/customers", """{"filter":{"attribute":{"field":"email","operator":"exists"}}}""");

        // Assert
        body.GetProperty("ids").GetArrayLength().ShouldBe(7);
        body.GetProperty("identifiers")[0].GetProperty("cio_id").GetString().ShouldNotBeNullOrEmpty();
        body.GetProperty("next").GetString().ShouldBe("");
    }

    [Fact]
    public async Task SearchFindsThePeopleRelatedToAnObjectBilledWithinTheNextThirtyDaysAsADocumentedExtension()
    {
        // Arrange: p2 and p4 belong to an account billed in 10 days, p6 to one billed in 40.
        var people = _factory.Services.GetRequiredService<PeopleService>();
        var context = new OperationContext(_workspaceId, Sources.Api);
        await people.ExecuteAsync(context, new CreateObjectTypeOperation("Accounts"), Ct);
        var now = DateTimeOffset.UtcNow;
        Dictionary<string, AttributeValue> none = [];
        async Task AccountAsync(string id, int days, params string[] members) =>
            await people.ExecuteAsync(context, new IdentifyObjectOperation(ObjectReference.For("1", id),
                new Dictionary<string, AttributeValue> { ["bill_date"] = AttributeValue.FromNumber(now.AddDays(days).ToUnixTimeSeconds()) },
                [.. members.Select(m => new RelatedPersonInput(PersonReference.ForId(m), none))]), Ct);
        await AccountAsync("acme", 10, "p2", "p4");
        await AccountAsync("globex", 40, "p6");

        // Act
        var body = await PostJsonAsync("/v1/customers", """{"filter":{"object":{"object_type_id":"1","object_filter":{"attribute":{"field":"bill_date","operator":"within_next","value":30}}}}}""");
        using var unknownZone = await _client.PostAsync(new Uri("/v1/customers", UriKind.Relative),
            Json("""{"filter":{"object":{"object_type_id":"1","object_filter":{"attribute":{"field":"bill_date","operator":"within_next","value":30,"time_zone":"Nowhere/City"}}}}}"""), Ct);

        // Assert
        body.GetProperty("ids").EnumerateArray().Select(i => i.GetString()).ShouldBe(["p2", "p4"]);
        unknownZone.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknownZone.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("filter.object.object_filter.attribute.time_zone");
    }

    [Theory]
    [InlineData("/v1/customers", """{"filter":{"attribute":{"field":"plan","operator":"like","value":"x"}}}""", "filter.attribute.operator")]
    [InlineData("/v1/customers", """{"filter":{"or":[{"attribute":{"field":"d","operator":"before","value":"soon"}}]}}""", "filter.or[0].attribute.value")]
    [InlineData("/v1/customers", """{}""", "filter")]
    [InlineData("/v1/customers?limit=1001", """{"filter":{"and":[]}}""", "limit")]
    [InlineData("/v1/customers?start=abc", """{"filter":{"and":[]}}""", "start")]
    [InlineData("/v1/exports/customers", """{"attributes":["plan"]}""", "filters")]
    [InlineData("/v1/exports/customers", """{"filters":{"segment":{}}}""", "filters.segment")]
    [InlineData("/v1/exports/customers", """{"filters":{"and":[]},"attributes":"plan"}""", "attributes")]
    public async Task ABadRequestAnswers400NamingTheField(string path, string json, string field)
    {
        // Act
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), Json(json), Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = (await response.ReadJsonAsync()).GetProperty("errors")[0];
        error.GetProperty("field").GetString().ShouldBe(field);
    }

    [Theory]
    [InlineData("POST", "/v1/customers")]
    [InlineData("POST", "/v1/exports/customers")]
    [InlineData("GET", "/v1/exports/1")]
    [InlineData("GET", "/v1/exports/1/download")]
    public async Task EveryAudienceEndpointNeedsTheAppKey(string method, string path)
    {
        // Arrange
        using var anonymous = _factory.CreateClient(new() { AllowAutoRedirect = false });

        // Act
        using var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("""{"filter":{"and":[]}}""") }, Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnExportRunsInTheBackgroundAndItsSignedLinkServesTheCsvWithoutOtherCredentials()
    {
        // Arrange
        const string request = """{"filters":{"or":[{"attribute":{"field":"plan","operator":"eq","value":"free"}},{"attribute":{"field":"id","operator":"eq","value":"p2"}}]},"attributes":["plan","note","missing"]}""";

        // Act
        var created = (await PostJsonAsync("/v1/exports/customers", request)).GetProperty("export");
        var id = created.GetProperty("id").GetInt64();
        var export = await WaitUntilFinishedAsync(id);
        var url = (await GetJsonAsync($"/v1/exports/{id}/download")).GetProperty("url").GetString()!;
        using var anonymous = _factory.CreateClient(new() { AllowAutoRedirect = false });
        using var csv = await anonymous.GetAsync(new Uri(url).PathAndQuery, Ct);

        // Assert
        created.GetProperty("type").GetString().ShouldBe("customers");
        export.GetProperty("status").GetString().ShouldBe("done");
        export.GetProperty("failed").GetBoolean().ShouldBeFalse();
        export.GetProperty("total").GetInt64().ShouldBe(5);
        url.ShouldStartWith("https://people.example.com/exports/download/");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        lines[0].ShouldBe("cio_id,id,email,plan,note,missing");
        lines.Skip(1).Select(l => l.Split(',')[1]).ShouldBe(["p1", "p2", "p3", "p5", "p7"]);
        lines[3].ShouldEndWith(",p3,p3@example.com,free,\"says \"\"hi\"\", twice\",");
        await using var db = await _factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        (await db.AuditEntries.CountAsync(a => a.Action == PeopleAdmin.Core.Operators.AuditActions.PeopleExported && a.Detail!.StartsWith($"export {id} "), Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task ADamagedDownloadLinkAnswers404AndAnUnknownExportAnswers404()
    {
        // Arrange
        using var anonymous = _factory.CreateClient(new() { AllowAutoRedirect = false });

        // Act
        using var forged = await anonymous.GetAsync(new Uri("/exports/download/CfDJ8forged", UriKind.Relative), Ct);
        using var unknown = await _client.GetAsync(new Uri("/v1/exports/999", UriKind.Relative), Ct);

        // Assert
        forged.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("export_id");
    }

    /// <summary>Asks for the export as a client would until the background worker has finished it.</summary>
    private async Task<JsonElement> WaitUntilFinishedAsync(long id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var export = (await GetJsonAsync($"/v1/exports/{id}")).GetProperty("export");
            if (export.GetProperty("status").GetString() is "done" or "failed" || DateTime.UtcNow > deadline)
            {
                return export;
            }

            await Task.Delay(50, Ct);
        }
    }

    private async Task<JsonElement> PostJsonAsync(string path, string json)
    {
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), Json(json), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.ReadJsonAsync();
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        return await response.ReadJsonAsync();
    }
}
