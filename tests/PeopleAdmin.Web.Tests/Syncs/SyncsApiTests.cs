using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.Syncs;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests.Servers;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

[assembly: AssemblyFixture(typeof(SyncSources))]

namespace PeopleAdmin.Web.Tests.Syncs;

/// <summary>
/// The management API's database sync routes against the real source servers: connections without their password,
/// Test connection's stages, query rules as 400s, Run now through the background worker to a finished run.
/// </summary>
public sealed class SyncsApiTests(SyncSources sources) : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;
    private HttpClient _admin = null!;
    private int _workspaceId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = CreateFactory().With("PeopleAdmin:Syncs:PollInterval", "00:00:00.200").With("PeopleAdmin:Syncs:ConnectionTestsPerMinute", "4").With("PeopleAdmin:Syncs:SourceQueriesPerMinute", "3");
        _admin = _factory.AdminClient();
        _workspaceId = (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    private string Path(string rest) => $"/api/admin/v1/workspaces/{_workspaceId}/{rest}";

    private Task<HttpResponseMessage> PostAsync(string rest, string json) => _admin.PostAsync(new Uri(Path(rest), UriKind.Relative), Json(json), Ct);

    private string ConnectionJson(string password) =>
        $$"""{"name": "Warehouse", "kind": "postgres", "host": "127.0.0.1", "port": {{sources.PostgresPort}}, "database": "source", "user": "peopleadmin", "password": "{{password}}", "ssl_mode": "disable"}""";

    private async Task<long> CreateConnectionAsync(string? password = null)
    {
        using var response = await PostAsync("sync-connections", ConnectionJson(password ?? sources.Password));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.ReadJsonAsync()).GetProperty("connection_id").GetInt64();
    }

    [Fact]
    public async Task AConnectionIsCreatedAndAnsweredWithoutItsPassword()
    {
        using var response = await PostAsync("sync-connections", ConnectionJson(sources.Password));
        using var list = await _admin.GetAsync(new Uri(Path("sync-connections"), UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.ReadJsonAsync();
        (body.GetProperty("name").GetString(), body.GetProperty("kind").GetString(), body.GetProperty("ssl_mode").GetString()).ShouldBe(("Warehouse", "postgres", "disable"));
        body.TryGetProperty("password", out _).ShouldBeFalse();
        (await list.Content.ReadAsStringAsync(Ct)).ShouldNotContain(sources.Password);
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        (await db.AuditEntries.AsNoTracking().Select(e => e.Action).ToListAsync(Ct)).ShouldContain(AuditActions.SyncConnectionSaved);
    }

    [Fact]
    public async Task TestConnectionAnswersOkOrTheStageThatFailed()
    {
        var good = await CreateConnectionAsync();
        using var badResponse = await PostAsync("sync-connections", ConnectionJson("wrong") .Replace("Warehouse", "Wrong password", StringComparison.Ordinal));
        var bad = (await badResponse.ReadJsonAsync()).GetProperty("connection_id").GetInt64();

        using var ok = await PostAsync($"sync-connections/{good}/test", "");
        using var failed = await PostAsync($"sync-connections/{bad}/test", "");

        (await ok.ReadJsonAsync()).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var failure = await failed.ReadJsonAsync();
        failed.StatusCode.ShouldBe(HttpStatusCode.OK);
        failure.GetProperty("ok").GetBoolean().ShouldBeFalse();
        failure.GetProperty("stage").GetString().ShouldBe("authentication");
        failure.GetProperty("message").GetString()!.ShouldStartWith("PostgreSQL refused user peopleadmin");
    }

    [Fact]
    public async Task TestConnectionPastTheLimitIs429WithRetryAfter()
    {
        var connection = await CreateConnectionAsync();
        for (var i = 0; i < 4; i++)
        {
            using var allowed = await PostAsync($"sync-connections/{connection}/test", "");
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var limited = await PostAsync($"sync-connections/{connection}/test", "");

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        (await MessageAsync(limited)).ShouldStartWith("Test connection is limited per workspace");
    }

    [Fact]
    public async Task SavingSyncsPastTheLimitIs429WithRetryAfter()
    {
        var connection = await CreateConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await PostAsync("syncs", JsonSerializer.Serialize(new { name = $"S{i}", connection_id = connection, interval = "24h", identifier = "id", paused = true, query = "select 'a' as id" }));
            allowed.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using var limited = await PostAsync("syncs", JsonSerializer.Serialize(new { name = "S3", connection_id = connection, interval = "24h", identifier = "id", paused = true, query = "select 'a' as id" }));

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        (await limited.V2ErrorAsync()).GetProperty("field").GetString().ShouldBe("query");
        (await MessageAsync(limited)).ShouldStartWith("saving a sync and preview run the query on the source database");
    }

    [Theory]
    [InlineData("select * from pg_class", "query selects * : name the columns instead")]
    [InlineData("select relname from pg_class", "query selects no column named id")]
    [InlineData("select 1 as id where now() > {{since}}", "query uses the placeholder {{since}}")]
    public async Task ASyncWhoseQueryBreaksARuleIs400NamingTheRule(string query, string message)
    {
        var connection = await CreateConnectionAsync();

        using var response = await PostAsync("syncs", JsonSerializer.Serialize(new { name = "People", connection_id = connection, query, interval = "1h", identifier = "id" }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await MessageAsync(response)).ShouldStartWith(message);
        (await response.V2ErrorAsync()).GetProperty("field").GetString().ShouldBe("query");
    }

    [Theory]
    [InlineData("""{"name": "S", "connection_id": 1, "query": "select 1 as id", "interval": "2h", "identifier": "id"}""", "interval", "interval must be \"15m\", \"1h\", \"6h\" or \"24h\"; it was \"2h\".")]
    [InlineData("""{"name": "S", "connection_id": 1, "query": "select 1 as id", "interval": "1h", "identifier": "phone"}""", "identifier", "identifier must be \"id\" or \"email\"; it was \"phone\".")]
    [InlineData("""{"name": "S", "query": "select 1 as id", "interval": "1h", "identifier": "id"}""", "connection_id", "connection_id is required: the id of one of the workspace's sync connections.")]
    [InlineData("""{"name": "S", "connection_id": 999, "query": "select 1 as id", "interval": "1h", "identifier": "id"}""", "connection_id", "there is no connection 999 in this workspace")]
    [InlineData("""{"name": "S", "connection_id": 1, "query": "select 1 as id", "interval": "1h", "identifier": "id", "data_to_process": "some"}""", "data_to_process", "data_to_process must be \"all\", \"only_new\" or \"only_existing\"; it was \"some\".")]
    public async Task ABadSyncFieldIs400NamingIt(string json, string field, string message)
    {
        using var response = await PostAsync("syncs", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V2ErrorAsync()).GetProperty("field").GetString().ShouldBe(field);
        (await MessageAsync(response)).ShouldBe(message);
    }

    [Fact]
    public async Task RunNowRunsInTheBackgroundAndTheRunIsReadBack()
    {
        var connection = await CreateConnectionAsync();
        using var created = await PostAsync("syncs", JsonSerializer.Serialize(new
        {
            name = "People", connection_id = connection, interval = "24h", identifier = "email", paused = true,
            query = "select 'ada@example.com' as email, 'pro' as plan union all select 'bob@example.com', 'free'",
        }));
        var syncId = (await created.ReadJsonAsync()).GetProperty("sync_id").GetInt64();

        using var run = await PostAsync($"syncs/{syncId}/run", "");
        var runId = (await run.ReadJsonAsync()).GetProperty("run_id").GetInt64();
        var finished = await WaitForRunAsync(syncId, runId);

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        run.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        finished.GetProperty("state").GetString().ShouldBe("succeeded", finished.GetRawText());
        (finished.GetProperty("rows_read").GetInt64(), finished.GetProperty("rows_created").GetInt64(), finished.GetProperty("rows_failed").GetInt64()).ShouldBe((2, 2, 0));
        finished.GetProperty("started_at").ValueKind.ShouldBe(JsonValueKind.String);
        using var app = _factory.AppClient();
        using var person = await app.GetAsync(new Uri("/v1/customers/ada@example.com/attributes?id_type=email", UriKind.Relative), Ct);
        (await person.ReadJsonAsync()).GetProperty("customer").GetProperty("attributes").GetProperty("plan").GetString().ShouldBe("pro");
    }

    [Fact]
    public async Task ARunsErrorsAndWarningsAreTheReportsOfItsImport()
    {
        var connection = await CreateConnectionAsync();
        using var created = await PostAsync("syncs", JsonSerializer.Serialize(new
        {
            name = "Twice", connection_id = connection, interval = "24h", identifier = "id", data_to_process = "only_new", paused = true,
            query = "select 'a' as id union all select 'a' union all select null",
        }));
        var syncId = (await created.ReadJsonAsync()).GetProperty("sync_id").GetInt64();
        using var run = await PostAsync($"syncs/{syncId}/run", "");
        var runId = (await run.ReadJsonAsync()).GetProperty("run_id").GetInt64();
        var finished = await WaitForRunAsync(syncId, runId);
        var importId = finished.GetProperty("import_id").GetInt64();

        using var errors = await _admin.GetAsync(new Uri(Path($"syncs/{syncId}/runs/{runId}/errors.csv"), UriKind.Relative), Ct);
        using var warnings = await _admin.GetAsync(new Uri(Path($"syncs/{syncId}/runs/{runId}/warnings.csv"), UriKind.Relative), Ct);
        using var import = await _admin.GetAsync(new Uri(Path($"imports/{importId}"), UriKind.Relative), Ct);
        using var none = await _admin.GetAsync(new Uri(Path($"syncs/{syncId}/runs/{runId + 1}/errors.csv"), UriKind.Relative), Ct);

        (finished.GetProperty("rows_created").GetInt64(), finished.GetProperty("rows_skipped").GetInt64(), finished.GetProperty("rows_failed").GetInt64(), finished.GetProperty("warnings").GetInt64())
            .ShouldBe((1, 1, 1, 1));
        errors.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        (await errors.Content.ReadAsStringAsync(Ct)).ShouldBe("row,column,value,reason\r\n3,id,,\"the row has no id, the import's identifier\"\r\n");
        (await warnings.Content.ReadAsStringAsync(Ct)).ShouldBe("row,column,value,reason\r\n2,id,a,\"someone holds this identifier, and the import takes only new people\"\r\n");
        var body = await import.ReadJsonAsync();
        (body.GetProperty("state").GetString(), body.GetProperty("rows_created").GetInt64(), body.GetProperty("file_name").GetString()).ShouldBe(("imported", 1, "Twice"));
        none.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RunNowWhileARunIsGoingIs409()
    {
        var connection = await CreateConnectionAsync();
        using var created = await PostAsync("syncs", JsonSerializer.Serialize(new { name = "Slow", connection_id = connection, interval = "24h", identifier = "id", paused = true, query = "select 'a' as id, pg_sleep(2)::text as pause" }));
        var syncId = (await created.ReadJsonAsync()).GetProperty("sync_id").GetInt64();
        using var first = await PostAsync($"syncs/{syncId}/run", "");

        using var second = await PostAsync($"syncs/{syncId}/run", "");

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await MessageAsync(second)).ShouldBe("a run of this sync is going: wait for it to finish");
    }

    [Fact]
    public async Task APutKeepsTheLastSyncTimeUnlessItAsksToResetIt()
    {
        var connection = await CreateConnectionAsync();
        var body = new { name = "People", connection_id = connection, interval = "1h", identifier = "id", paused = true, query = "select 'a' as id" };
        using var created = await PostAsync("syncs", JsonSerializer.Serialize(body));
        var syncId = (await created.ReadJsonAsync()).GetProperty("sync_id").GetInt64();
        using var run = await PostAsync($"syncs/{syncId}/run", "");
        await WaitForRunAsync(syncId, (await run.ReadJsonAsync()).GetProperty("run_id").GetInt64());

        using var kept = await _admin.PutAsync(new Uri(Path($"syncs/{syncId}"), UriKind.Relative), Json(JsonSerializer.Serialize(body with { interval = "6h" })), Ct);
        using var reset = await _admin.PutAsync(new Uri(Path($"syncs/{syncId}"), UriKind.Relative), Json(JsonSerializer.Serialize(new { body.name, body.connection_id, body.interval, body.identifier, body.paused, body.query, reset_last_sync_time = true })), Ct);

        var keptBody = await kept.ReadJsonAsync();
        (keptBody.GetProperty("interval").GetString(), keptBody.GetProperty("last_sync_time").ValueKind).ShouldBe(("6h", JsonValueKind.String));
        (await reset.ReadJsonAsync()).GetProperty("last_sync_time").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task AnEditorsTokenCannotReadSyncsNorConnections()
    {
        var account = await _factory.AddOperatorAsync("editor@example.test", OperatorRoles.Editor);
        var token = await _factory.Services.GetRequiredService<PersonalTokens>().CreateAsync(account.Id, "tests", DateTime.UtcNow.AddDays(7), Ct);
        using var editor = _factory.CreateClient();
        editor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value!.Secret);

        using var connections = await editor.GetAsync(new Uri(Path("sync-connections"), UriKind.Relative), Ct);
        using var syncs = await editor.GetAsync(new Uri(Path("syncs"), UriKind.Relative), Ct);
        using var create = await editor.PostAsync(new Uri(Path("sync-connections"), UriKind.Relative), Json(ConnectionJson("x")), Ct);

        (connections.StatusCode, syncs.StatusCode, create.StatusCode).ShouldBe((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden));
    }

    /// <summary>The message of the management API's error body.</summary>
    private static async Task<string> MessageAsync(HttpResponseMessage response) =>
        (await response.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString()!;

    /// <summary>Reads the run until the background worker has finished it (a state the test waits for, not a retried assertion).</summary>
    private async Task<JsonElement> WaitForRunAsync(long syncId, long runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await _admin.GetAsync(new Uri(Path($"syncs/{syncId}/runs/{runId}"), UriKind.Relative), Ct);
            var run = await response.ReadJsonAsync();
            if (run.GetProperty("state").GetString() is "succeeded" or "failed")
            {
                return run;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "the run did not finish within a minute");
            await Task.Delay(100, Ct);
        }
    }
}
