using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Infrastructure;

/// <summary>
/// The real app, in process, on a fresh data folder of its own and a fresh database: SQLite in that folder, or a
/// PostgreSQL database of its own (<see cref="TestStores"/>).
/// </summary>
public sealed class PeopleAdminFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new();
    private string? _postgres;
    private bool _ownsStorage = true;

    /// <param name="store">The store, when the test is about one; else the run's (<see cref="TestStores.Current"/>).</param>
    public PeopleAdminFactory(TestStore? store = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "peopleadmin-web-tests", Guid.NewGuid().ToString("n"));
        Store = store ?? TestStores.Current;
        if (Store == TestStore.Postgres)
        {
            TestStores.RequirePostgresServer();
        }
    }

    public string DataDirectory { get; private init; }

    public TestStore Store { get; }

    /// <summary>The PostgreSQL database's connection string, once the host has started on one.</summary>
    public string? PostgresConnectionString => _postgres;

    /// <summary>
    /// Another instance of this one's deployment: the same PostgreSQL database and the same data folder (key ring and
    /// credential hash key), which this factory keeps and removes. Starts this one's host first.
    /// </summary>
    public PeopleAdminFactory AnotherInstance()
    {
        _ = Services;
        var other = new PeopleAdminFactory(TestStore.Postgres) { DataDirectory = DataDirectory, _postgres = _postgres, _ownsStorage = false };
        foreach (var (key, value) in _settings)
        {
            other._settings[key] = value;
        }

        return other;
    }

    /// <summary>Runs on this PostgreSQL database (from <see cref="PostgresDatabases.CreateAsync"/>), and drops it when disposed.</summary>
    public PeopleAdminFactory OnDatabase(string postgresConnectionString)
    {
        _postgres = postgresConnectionString;
        return this;
    }

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
        if (Store == TestStore.Postgres)
        {
            _postgres ??= PostgresDatabases.CreateAsync(CancellationToken.None).GetAwaiter().GetResult();
            builder.UseSetting("PeopleAdmin:Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:PeopleAdmin", _postgres);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsStorage)
        {
            return;
        }

        if (_postgres is not null)
        {
            await PostgresDatabases.DropAsync(_postgres);
        }

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
