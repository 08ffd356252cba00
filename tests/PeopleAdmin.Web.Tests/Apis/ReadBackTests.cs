using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>After each class of odd but accepted input, every App API endpoint reads it back: 200, JSON, what was sent.</summary>
[BothStores]
public sealed class ReadBackTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    public static TheoryData<string> Classes => OddInputs.Classes();

    [Theory]
    [MemberData(nameof(Classes))]
    public async Task EveryAppApiEndpointReadsBackOddButAcceptedInput(string name)
    {
        var input = OddInputs.Of(name);
        using var track = _factory.TrackClient();
        var path = "/api/v1/customers/" + Uri.EscapeDataString(input.Id);
        var timestamp = input.EventTimestamp is { } t ? $",\"timestamp\":{t}" : "";
        var lastUsed = input.DeviceLastUsed is { } used ? $",\"last_used\":{used}" : "";

        (await track.PutAsync(new Uri(path, UriKind.Relative), Json(input.IdentifyJson), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await track.PostAsync(new Uri(path + "/events", UriKind.Relative), Json($$"""{"name":"odd","data":{{input.EventDataJson}}{{timestamp}}}"""), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await track.PutAsync(new Uri(path + "/devices", UriKind.Relative), Json($$$"""{"device":{"id":"tok-1","platform":"ios"{{{lastUsed}}}}}"""), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var customer = (await ReadAsync($"/v1/customers/{Uri.EscapeDataString(input.Id)}/attributes")).GetProperty("customer");
        var cioId = customer.GetProperty("identifiers").GetProperty("cio_id").GetString()!;
        foreach (var (attribute, value) in input.Attributes().Where(a => a.Key is not ("_timestamp" or "created_at")))
        {
            customer.GetProperty("attributes").GetProperty(attribute).GetString().ShouldBe(value.Text, attribute);
        }

        var activities = await ReadAsync($"/v1/customers/{cioId}/activities?id_type=cio_id&type=event");
        JsonNode.DeepEquals(JsonNode.Parse(activities.GetProperty("activities")[0].GetProperty("data").GetRawText()), JsonNode.Parse(input.EventDataJson)).ShouldBeTrue();
        await ReadAsync($"/v1/customers/{cioId}/segments?id_type=cio_id");
        await ReadAsync("/v1/activities?limit=100");
        await ReadAsync("/v1/segments");
        if (customer.GetProperty("identifiers").GetProperty("email").GetString() is { } email)
        {
            (await ReadAsync("/v1/customers?email=" + Uri.EscapeDataString(email))).GetProperty("results").GetArrayLength().ShouldBe(1);
        }
    }

    [Fact]
    public async Task EveryAppApiEndpointReadsWhatWasStoredBeforeTheRules()
    {
        using var track = _factory.TrackClient();
        (await track.PutAsync(new Uri("/api/v1/customers/old-1", UriKind.Relative), Json("""{"email":"old@example.com","plan":"pro"}"""), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await StoreAsBeforeTheRulesAsync(_factory.Services, "old-1");

        var customer = (await ReadAsync("/v1/customers/old-1/attributes")).GetProperty("customer");
        var activities = await ReadAsync("/v1/customers/old-1/activities?limit=100");
        await ReadAsync("/v1/activities?limit=100");

        customer.GetProperty("devices")[0].GetProperty("last_used").GetInt64().ShouldBe(99_999_999_999_999);
        activities.GetProperty("activities").EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == "stored before the rules")
            .GetProperty("data").GetProperty("bad").GetString().ShouldBe("x\uFFFDy");
    }

    /// <summary>
    /// Writes what the rules now refuse but older versions stored: a lone surrogate in event data, a device used in
    /// the year 3,170,843, an attribute frozen by a <c>_timestamp</c> in the far future.
    /// </summary>
    internal static async Task StoreAsBeforeTheRulesAsync(IServiceProvider services, string id)
    {
        var factory = services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>();
        await using var db = await factory.CreateDbContextAsync(Ct);
        var person = await db.People.SingleAsync(p => p.ExternalId == id, Ct);
        db.Activities.Add(new Activity
        {
            WorkspaceId = person.WorkspaceId, PersonId = person.Id, CioId = person.CioId, Type = ActivityTypes.Event, Source = Sources.Api,
            AtMs = person.FirstSeenMs, Timestamp = 999_999_999_999_999, Name = "stored before the rules", Data = """{"bad":"x\ud800y","\udc00":"name"}""",
        });
        db.Devices.Add(new Device { WorkspaceId = person.WorkspaceId, PersonId = person.Id, Token = "old-device", Platform = "ios", LastUsed = 99_999_999_999_999, UpdatedMs = person.FirstSeenMs });
        await db.SaveChangesAsync(Ct);
        await db.PersonAttributes.Where(a => a.PersonId == person.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Timestamp, 999_999_999_999_999).SetProperty(a => a.SetMs, long.MaxValue), Ct);
    }

    private async Task<JsonElement> ReadAsync(string path)
    {
        using var app = _factory.AppClient();
        using var response = await app.GetAsync(new Uri(path, UriKind.Relative), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        return await response.ReadJsonAsync();
    }
}
