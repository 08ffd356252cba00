using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Apis;

public sealed partial class OpenApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheDocumentListsEveryMappedApiEndpoint()
    {
        await using var factory = ApiTestHost.CreateFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api/", StringComparison.Ordinal) || raw.StartsWith("/v1/", StringComparison.Ordinal)))
            .Where(e => !e.RoutePattern.RawText!.Contains("{**", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Constraint().Replace(e.RoutePattern.RawText!, "}")}"))
            .ToList();
        mapped.Count.ShouldBeGreaterThan(20);
        mapped.Where(m => !documented.Contains(m)).ShouldBeEmpty();
        document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(s => s.Name)
            .ShouldBe(["track_basic", "app_bearer", "admin_bearer", "browser_site_id"], ignoreOrder: true);
    }

    [Fact]
    public async Task EveryRequestBodyAndEveryBatchItemNamesItsProperties()
    {
        await using var factory = ApiTestHost.CreateFactory();
        using var client = factory.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct)).RootElement;

        var schemas = document.GetProperty("components").GetProperty("schemas");
        JsonElement Resolve(JsonElement schema) => schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;
        var bodies = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => operation.Value.TryGetProperty("requestBody", out _))
                .Select(operation => (Name: $"{operation.Name} {path.Name}", Schema: Resolve(operation.Value.GetProperty("requestBody").GetProperty("content").EnumerateObject().First().Value.GetProperty("schema")))))
            .ToList();
        bodies.Count.ShouldBeGreaterThan(10);
        bodies.Where(body => !body.Schema.TryGetProperty("properties", out var properties) || !properties.EnumerateObject().Any()).Select(body => body.Name).ShouldBeEmpty();
        var item = Resolve(schemas.GetProperty("BatchRequest").GetProperty("properties").GetProperty("batch").GetProperty("items"));
        item.GetProperty("properties").GetProperty("identifiers").GetProperty("properties").EnumerateObject().Select(p => p.Name)
            .ShouldBe(["id", "email", "cio_id", "object_type_id", "object_id", "cio_object_id"]);
        item.GetProperty("properties").GetProperty("cio_relationships").GetProperty("items").GetProperty("properties").EnumerateObject().Select(p => p.Name)
            .ShouldBe(["identifiers", "relationship_attributes"]);
        schemas.GetProperty("IdentifyAttributes").GetProperty("properties").GetProperty("cio_relationships").GetProperty("properties").EnumerateObject().Select(p => p.Name)
            .ShouldBe(["action", "relationships"]);
    }

    [Fact]
    public async Task RequestBodiesAreDocumentedAsJsonAndTrackV1AsFormsToo()
    {
        await using var factory = ApiTestHost.CreateFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);

        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("paths");
        Types(paths, "/api/v1/customers/{identifier}", "put").ShouldBe(["application/json", "application/*+json", "application/x-www-form-urlencoded"], ignoreOrder: true);
        Types(paths, "/api/v2/batch", "post").ShouldBe(["application/json", "application/*+json"], ignoreOrder: true);
        Types(paths, "/api/admin/v1/workspaces", "post").ShouldNotContain("*/*");
    }

    private static List<string> Types(JsonElement paths, string path, string method) =>
        [.. paths.GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name)];

    [Fact]
    public async Task TheReferencePageIsServedWithoutSignInAndLoadsNothingFromElsewhere()
    {
        await using var factory = new PeopleAdminFactory();
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/api-reference", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("/openapi/v1.json");
        ExternalResource().IsMatch(html).ShouldBeFalse();
    }

    [GeneratedRegex(":[a-z]+}")]
    private static partial Regex Constraint();

    [GeneratedRegex("(src|href)=\"(https?:)?//")]
    private static partial Regex ExternalResource();
}
