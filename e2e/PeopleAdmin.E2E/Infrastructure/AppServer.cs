using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace PeopleAdmin.E2E.Infrastructure;

/// <summary>The app on real Kestrel, on a free loopback port, with a fresh data folder (and so a fresh database).</summary>
public sealed class AppServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private AppServer(Dictionary<string, string?> settings)
    {
        _settings = settings;
        DataDirectory = Path.Combine(Path.GetTempPath(), "peopleadmin-e2e", Guid.NewGuid().ToString("n"));
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public static AppServer Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = new AppServer(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()));
        server.UseKestrel(0);
        server.StartServer();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
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
