using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using PeopleAdmin.Tests;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Health;

public sealed partial class HealthTests
{
    [Fact, BothStores]
    public async Task HealthAnswers200WhenTheDatabaseAnswers()
    {
        await using var factory = new PeopleAdminFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(TestContext.Current.CancellationToken);
        body!["status"].ShouldBe("healthy");
    }

    [Fact]
    public async Task HealthAnswers503WhenTheDatabaseIsGone()
    {
        await using var factory = new PeopleAdminFactory(TestStore.Sqlite);
        using var client = factory.CreateClient();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(factory.DataDirectory, "peopleadmin.db*"))
        {
            File.Delete(file);
        }

        // A directory where the database file was makes every open fail.
        Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "peopleadmin.db"));
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Fact]
    public async Task HealthAnswers503WhenThePostgresDatabaseIsGone()
    {
        await using var factory = new PeopleAdminFactory(TestStore.Postgres);
        using var client = factory.CreateClient();
        await PostgresDatabases.DropAsync(factory.PostgresConnectionString!);

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(TestContext.Current.CancellationToken);
        body!["database"].ShouldBe("unreachable");
    }

    [Fact]
    public async Task TheHomePageLinksStylesheetsThatAreServed()
    {
        await using var factory = new PeopleAdminFactory();
        using var client = factory.CreateKestrelClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        var stylesheets = StylesheetLink().Matches(html).Select(m => m.Groups[1].Value).ToList();

        stylesheets.ShouldContain("peopleadmin.css");
        stylesheets.ShouldContain(href => href.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal));
        foreach (var href in stylesheets)
        {
            var response = await client.GetAsync(new Uri("/" + href, UriKind.Relative), TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, href);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("text/css", href);
        }
    }

    [Fact]
    public async Task TheBrandLogoFromWwwrootAssetsIsServed()
    {
        await using var factory = new PeopleAdminFactory();
        using var client = factory.CreateKestrelClient();

        var response = await client.GetAsync(new Uri("/logo.svg", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("<svg");
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"([^\"]+\\.css)\"")]
    private static partial Regex StylesheetLink();
}
