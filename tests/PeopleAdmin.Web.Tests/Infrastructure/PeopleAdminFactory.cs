using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PeopleAdmin.Web.Tests.Infrastructure;

/// <summary>The real app, in process, on a fresh data folder of its own.</summary>
public sealed class PeopleAdminFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new();

    public PeopleAdminFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "peopleadmin-web-tests", Guid.NewGuid().ToString("n"));
    }

    public string DataDirectory { get; }

    /// <summary>Sets a configuration value before the host starts.</summary>
    public PeopleAdminFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>
    /// A client of the app on real Kestrel. Static assets need it: the in-memory test server answers them
    /// with empty bodies.
    /// </summary>
    public HttpClient CreateKestrelClient()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)) };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("PeopleAdmin:DataDirectory", DataDirectory);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
    }
}
