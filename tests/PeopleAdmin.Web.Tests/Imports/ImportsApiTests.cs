using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Tests.Apis;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Imports;

/// <summary>The management API's imports on the real app: upload, follow, dry run and start, cancel, reports, refusals.</summary>
public sealed class ImportsApiTests : IAsyncLifetime
{
    private readonly PeopleAdminFactory _factory = ApiTestHost.CreateFactory().With("PeopleAdmin:Imports:MaxFileBytes", "4096");
    private int _workspaceId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _workspaceId = (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct))[0].Id;

    [Fact]
    public async Task AnUploadedFileIsImportedInTheBackgroundAndItsCountsAndErrorsCanBeRead()
    {
        using var client = _factory.AdminClient();

        using var response = await client.PostAsync(ImportsUri(), Upload("""{"identifier": "id"}""", "id,email,plan\r\nann,ann@example.com,pro\r\nbob,not-an-email,free\r\n"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var accepted = await response.ReadJsonAsync();
        accepted.GetProperty("state").GetString().ShouldBe("preprocessing");
        var id = accepted.GetProperty("import_id").GetInt64();
        var import = await WaitUntilEndedAsync(client, id);
        import.GetProperty("state").GetString().ShouldBe("imported");
        import.GetProperty("rows_to_import").GetInt64().ShouldBe(2);
        import.GetProperty("rows_imported").GetInt64().ShouldBe(1);
        import.GetProperty("rows_created").GetInt64().ShouldBe(1);
        import.GetProperty("rows_failed").GetInt64().ShouldBe(1);
        import.GetProperty("file_name").GetString().ShouldBe("people.csv");
        using var errors = await client.GetAsync(new Uri($"{ImportsUri()}/{id}/errors.csv", UriKind.Relative), Ct);
        errors.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        (await errors.Content.ReadAsStringAsync(Ct)).ShouldBe("row,column,value,reason\r\n3,email,not-an-email,is not an email address\r\n");
        using var warnings = await client.GetAsync(new Uri($"{ImportsUri()}/{id}/warnings.csv", UriKind.Relative), Ct);
        (await warnings.Content.ReadAsStringAsync(Ct)).ShouldBe("row,column,value,reason\r\n");
        var ann = await _factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(_workspaceId, PersonReference.ForId("ann"), Ct);
        ann!.Attributes.Single(a => a.Name == "plan").Value.ShouldBe("pro");
    }

    [Fact]
    public async Task ADryRunIsValidatedWithoutWritingAndStartRunsIt()
    {
        using var client = _factory.AdminClient();
        using var response = await client.PostAsync(ImportsUri(), Upload("""{"identifier": "id", "dry_run": true}""", "id,plan\nann,pro\nbob,pro\n"), Ct);
        var id = (await response.ReadJsonAsync()).GetProperty("import_id").GetInt64();

        var validated = await WaitUntilEndedAsync(client, id);
        using var started = await client.PostAsync(new Uri($"{ImportsUri()}/{id}/start", UriKind.Relative), null, Ct);
        var imported = await WaitUntilEndedAsync(client, id);
        using var again = await client.PostAsync(new Uri($"{ImportsUri()}/{id}/start", UriKind.Relative), null, Ct);

        validated.GetProperty("state").GetString().ShouldBe("validated");
        validated.GetProperty("rows_created").GetInt64().ShouldBe(2);
        validated.GetProperty("dry_run").GetBoolean().ShouldBeTrue();
        started.StatusCode.ShouldBe(HttpStatusCode.OK);
        imported.GetProperty("state").GetString().ShouldBe("imported");
        imported.GetProperty("rows_imported").GetInt64().ShouldBe(2);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString().ShouldBe($"import {id} is imported; only an import a dry run left validated can be started");
        using var cancel = await client.PostAsync(new Uri($"{ImportsUri()}/{id}/cancel", UriKind.Relative), null, Ct);
        cancel.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    public static TheoryData<string, string?, string, HttpStatusCode, string, string> Refusals => new()
    {
        { "options naming no identifier", "{}", "id\na\n", HttpStatusCode.BadRequest, "options.identifier", "options.identifier is required" },
        { "options that are not JSON", "{", "id\na\n", HttpStatusCode.BadRequest, "options", "is not valid JSON" },
        { "no options part", null, "id\na\n", HttpStatusCode.BadRequest, "options", "the body has no part \"options\"" },
        { "a file with its header only", """{"identifier": "id"}""", "id,plan\n", HttpStatusCode.BadRequest, "file", "file: the file has a header and no rows" },
        { "a column named twice", """{"identifier": "id"}""", "id,id\na,b\n", HttpStatusCode.BadRequest, "file", "twice" },
        { "a file over the limit", """{"identifier": "id"}""", "id\n" + new string('a', 5000) + "\n", HttpStatusCode.RequestEntityTooLarge, "file", "over the limit of 4,096 bytes" },
        {
            "objects of a type the workspace lacks", """{"type": "object", "object_type_id": "3"}""", "object_id\nacme\n", HttpStatusCode.BadRequest, "options.object_type_id",
            "options.object_type_id: object type \"3\" does not exist in this workspace (it has none yet); create it first"
        },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task AnUploadThatCannotBeImportedIsRefusedNamingWhatAndNothingIsKept(string what, string? options, string csv, HttpStatusCode status, string field, string message)
    {
        using var client = _factory.AdminClient();

        using var response = await client.PostAsync(ImportsUri(), Upload(options, csv), Ct);

        response.StatusCode.ShouldBe(status, what);
        var error = (await response.ReadJsonAsync()).GetProperty("errors")[0];
        error.GetProperty("field").GetString().ShouldBe(field);
        error.GetProperty("message").GetString()!.ShouldContain(message);
        var folder = Path.Combine(_factory.DataDirectory, "imports");
        (Directory.Exists(folder) ? Directory.GetFiles(folder) : []).ShouldBeEmpty();
    }

    [Fact]
    public async Task ABodyThatIsNotMultipartIsRefusedWith415()
    {
        using var client = _factory.AdminClient();

        using var response = await client.PostAsync(ImportsUri(), ApiTestHost.Json("""{"identifier": "id"}"""), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task AnUnknownWorkspaceOrImportAnswers404()
    {
        using var client = _factory.AdminClient();

        using var workspace = await client.PostAsync(new Uri("/api/admin/v1/workspaces/999/imports", UriKind.Relative), Upload("""{"identifier": "id"}""", "id\na\n"), Ct);
        using var import = await client.GetAsync(new Uri($"{ImportsUri()}/999", UriKind.Relative), Ct);
        using var errors = await client.GetAsync(new Uri($"{ImportsUri()}/999/errors.csv", UriKind.Relative), Ct);

        workspace.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        import.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await import.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString().ShouldBe($"workspace {_workspaceId} has no import 999");
        errors.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AViewersTokenFollowsImportsButCannotStartOne()
    {
        var viewer = await _factory.AddOperatorAsync("viewer@example.test", OperatorRoles.Viewer);
        var token = await _factory.Services.GetRequiredService<PersonalTokens>().CreateAsync(viewer.Id, "tests", DateTime.UtcNow.AddDays(7), Ct);
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value!.Secret);

        using var upload = await client.PostAsync(ImportsUri(), Upload("""{"identifier": "id"}""", "id\na\n"), Ct);
        using var read = await client.GetAsync(new Uri($"{ImportsUri()}/1", UriKind.Relative), Ct);

        upload.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        read.StatusCode.ShouldBe(HttpStatusCode.NotFound, "a viewer reads; there is no import 1 yet");
    }

    [Fact]
    public async Task ThePeopleAnImportCreatedOrUpdatedArePagedWithNextAndFilteredByOutcome()
    {
        using var client = _factory.AdminClient();
        await _factory.Services.GetRequiredService<PeopleService>().ExecuteAsync(
            new OperationContext(_workspaceId, Sources.Api), new IdentifyOperation(PersonReference.ForId("bob"), new Dictionary<string, AttributeValue>()), Ct);
        using var upload = await client.PostAsync(ImportsUri(), Upload("""{"identifier": "id"}""", "id\r\nann\r\nbob\r\ncat\r\n"), Ct);
        var id = (await upload.ReadJsonAsync()).GetProperty("import_id").GetInt64();
        await WaitUntilEndedAsync(client, id);
        Uri People(string query) => new($"{ImportsUri()}/{id}/people{query}", UriKind.Relative);

        using var first = await client.GetAsync(People("?limit=2"), Ct);
        using var second = await client.GetAsync(People("?limit=2&start=2"), Ct);
        using var updated = await client.GetAsync(People("?outcome=updated"), Ct);
        using var refused = await client.GetAsync(People("?outcome=deleted"), Ct);

        var page = await first.ReadJsonAsync();
        page.GetProperty("people").EnumerateArray().Select(p => $"{p.GetProperty("id").GetString()} {p.GetProperty("outcome").GetString()} {p.GetProperty("row").GetInt64()}")
            .ShouldBe(["ann created 2", "bob updated 3"]);
        page.GetProperty("total").GetInt32().ShouldBe(3);
        page.GetProperty("next").GetString().ShouldBe("2");
        var last = await second.ReadJsonAsync();
        last.GetProperty("people").EnumerateArray().Single().GetProperty("id").GetString().ShouldBe("cat");
        last.TryGetProperty("next", out _).ShouldBeFalse();
        (await updated.ReadJsonAsync()).GetProperty("people").EnumerateArray().Single().GetProperty("exists").GetBoolean().ShouldBeTrue();
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("outcome must be created or updated");
    }

    private Uri ImportsUri() => new($"/api/admin/v1/workspaces/{_workspaceId}/imports", UriKind.Relative);

    private static MultipartFormDataContent Upload(string? options, string csv)
    {
        var content = new MultipartFormDataContent();
        if (options is not null)
        {
            content.Add(new StringContent(options, Encoding.UTF8, "application/json"), "options");
        }

        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "people.csv");
        return content;
    }

    private async Task<JsonElement> WaitUntilEndedAsync(HttpClient client, long id)
    {
        while (true)
        {
            using var response = await client.GetAsync(new Uri($"{ImportsUri()}/{id}", UriKind.Relative), Ct);
            var import = await response.ReadJsonAsync();
            if (import.GetProperty("state").GetString() is "validated" or "imported" or "failed" or "canceled")
            {
                return import;
            }

            await Task.Delay(50, Ct);
        }
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
