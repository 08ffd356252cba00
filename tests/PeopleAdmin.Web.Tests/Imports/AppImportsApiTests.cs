using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Apis;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Imports;

/// <summary><c>POST /v1/imports</c>: the server fetches <c>data_file_url</c> only from allowed hosts, never from its own network unless allowed by address.</summary>
public sealed class AppImportsApiTests : IAsyncDisposable
{
    private readonly FileServer _files = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFileFromAnAddressTheAllowListNamesIsFetchedAndImported()
    {
        await using var factory = Factory("127.0.0.1");
        using var client = factory.AppClient();

        using var response = await client.PostAsync(new Uri("/v1/imports", UriKind.Relative), Body(_files.Url("/people.csv")), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var created = (await response.ReadJsonAsync()).GetProperty("import");
        created.GetProperty("name").GetString().ShouldBe("Spring list");
        created.GetProperty("type").GetString().ShouldBe("people");
        var import = await WaitUntilEndedAsync(client, created.GetProperty("id").GetInt64());
        import.GetProperty("state").GetString().ShouldBe("imported");
        import.GetProperty("rows_to_import").GetInt64().ShouldBe(2);
        import.GetProperty("rows_imported").GetInt64().ShouldBe(2);
        var workspace = (await factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct))[0].Id;
        (await factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(workspace, PersonReference.ForId("ann"), Ct))!.Attributes
            .Single(a => a.Name == "plan").Value.ShouldBe("pro");
    }

    [Fact]
    public async Task ANameThatResolvesToTheMachinesOwnNetworkIsRefusedUnlessItsAddressIsAllowed()
    {
        await using var factory = Factory("localhost");
        using var client = factory.AppClient();

        using var response = await client.PostAsync(new Uri("/v1/imports", UriKind.Relative), Body(_files.Url("/people.csv").Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), Ct);

        var import = await WaitUntilEndedAsync(client, (await response.ReadJsonAsync()).GetProperty("import").GetProperty("id").GetInt64());
        import.GetProperty("state").GetString().ShouldBe("failed");
        import.GetProperty("error").GetString()!.ShouldContain("an address of a private or local network; PeopleAdmin__Imports__AllowedUrlHosts must name that address itself");
        _files.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task ARedirectToAHostTheAllowListDoesNotNameIsNotFollowed()
    {
        await using var factory = Factory("127.0.0.1");
        using var client = factory.AppClient();

        using var response = await client.PostAsync(new Uri("/v1/imports", UriKind.Relative), Body(_files.Url("/moved")), Ct);

        var import = await WaitUntilEndedAsync(client, (await response.ReadJsonAsync()).GetProperty("import").GetProperty("id").GetInt64());
        import.GetProperty("state").GetString().ShouldBe("failed");
        import.GetProperty("error").GetString()!.ShouldContain("a redirect led to http://elsewhere.example/people.csv: the host elsewhere.example is not among the hosts");
    }

    [Theory]
    [InlineData(null, "http://files.example/people.csv", "this server fetches import files from no host: an operator names the allowed hosts in PeopleAdmin__Imports__AllowedUrlHosts")]
    [InlineData("files.example", "http://other.example/people.csv", "the host other.example is not among the hosts this server fetches import files from (PeopleAdmin__Imports__AllowedUrlHosts)")]
    [InlineData("files.example", "file:///etc/passwd", "data_file_url must be an absolute http or https URL")]
    [InlineData("files.example", "http://user:secret@files.example/p.csv", "data_file_url must not carry credentials")]
    public async Task AUrlTheAllowListDoesNotAllowIsRefusedAt400AndNothingIsRecorded(string? allowed, string url, string message)
    {
        await using var factory = Factory(allowed);
        using var client = factory.AppClient();

        using var response = await client.PostAsync(new Uri("/v1/imports", UriKind.Relative), Body(url), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = (await response.ReadJsonAsync()).GetProperty("errors")[0];
        error.GetProperty("field").GetString().ShouldBe("import.data_file_url");
        error.GetProperty("message").GetString().ShouldBe(message);
    }

    [Fact]
    public async Task RelationshipsOfAnObjectTypeTheWorkspaceLacksAreRefusedAt400BeforeTheFileIsFetched()
    {
        // Arrange
        await using var factory = Factory("127.0.0.1");
        using var client = factory.AppClient();
        var body = ApiTestHost.Json(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["import"] = new Dictionary<string, string>
            {
                ["name"] = "Members", ["data_file_url"] = _files.Url("/people.csv"), ["type"] = "relationship", ["object_type_id"] = "2", ["identifier"] = "id",
            },
        }));

        // Act
        using var response = await client.PostAsync(new Uri("/v1/imports", UriKind.Relative), body, Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = (await response.ReadJsonAsync()).GetProperty("errors")[0];
        error.GetProperty("field").GetString().ShouldBe("import.object_type_id");
        error.GetProperty("message").GetString()!.ShouldStartWith("object type \"2\" does not exist in this workspace (it has none yet); create it first");
        _files.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task AnotherWorkspacesImportIsNotFound()
    {
        await using var factory = Factory("127.0.0.1");
        using var client = factory.AppClient();
        using var response = await client.PostAsync(new Uri("/v1/imports", UriKind.Relative), Body(_files.Url("/people.csv")), Ct);
        var id = (await response.ReadJsonAsync()).GetProperty("import").GetProperty("id").GetInt64();
        var other = await factory.CreateWorkspaceAsync("Other");
        using var otherClient = factory.AppClient(other.Keys.AppApiKey);

        using var read = await otherClient.GetAsync(new Uri($"/v1/imports/{id}", UriKind.Relative), Ct);

        read.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static PeopleAdminFactory Factory(string? allowed) =>
        allowed is null ? ApiTestHost.CreateFactory() : ApiTestHost.CreateFactory().With("PeopleAdmin:Imports:AllowedUrlHosts:0", allowed);

    private static StringContent Body(string url) => ApiTestHost.Json(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["import"] = new Dictionary<string, string> { ["name"] = "Spring list", ["data_file_url"] = url, ["type"] = "people", ["identifier"] = "id" },
    }));

    private static async Task<JsonElement> WaitUntilEndedAsync(HttpClient client, long id)
    {
        while (true)
        {
            using var response = await client.GetAsync(new Uri($"/v1/imports/{id}", UriKind.Relative), Ct);
            var import = (await response.ReadJsonAsync()).GetProperty("import");
            if (import.GetProperty("state").GetString() is "imported" or "failed")
            {
                return import;
            }

            await Task.Delay(50, Ct);
        }
    }

    public async ValueTask DisposeAsync() => await _files.DisposeAsync();

    /// <summary>A web server on 127.0.0.1 with a CSV file and a redirect to another host.</summary>
    private sealed class FileServer : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;
        private readonly int _port;
        private int _requests;

        public FileServer()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                _port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
            _listener.Start();
            _serving = ServeAsync();
        }

        public int Requests => _requests;

        public string Url(string path) => $"http://127.0.0.1:{_port}{path}";

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                try
                {
                    if (context.Request.Url!.AbsolutePath == "/moved")
                    {
                        context.Response.StatusCode = 302;
                        context.Response.RedirectLocation = "http://elsewhere.example/people.csv";
                    }
                    else
                    {
                        var body = Encoding.UTF8.GetBytes("id,plan\nann,pro\nbob,free\n");
                        context.Response.ContentType = "text/csv";
                        await context.Response.OutputStream.WriteAsync(body);
                    }

                    context.Response.Close();
                }
                catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException)
                {
                    // The importer may hang up first (its import was refused, or the test host is stopping): that
                    // is the importer's business, and this server goes on to the next request.
                    context.Response.Abort();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _serving;
        }
    }
}
