using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.People;
using PeopleAdmin.Web.Features.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.Exports;
using PeopleAdmin.Web.Infrastructure;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Infrastructure;

/// <summary>
/// A bUnit context for console components: MudBlazor, a signed-in operator of a chosen role, and a fresh migrated
/// database (SQLite, or PostgreSQL when the run says so: <see cref="TestStores"/>) with one workspace behind
/// <see cref="CurrentWorkspace"/>.
/// </summary>
public abstract class ConsoleTestContext : MudTestContext, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "peopleadmin-web-tests", Guid.NewGuid().ToString("n"));
    private string? _postgres;

    protected ConsoleTestContext()
        : base(context => ((ConsoleTestContext)context).AddConsoleServices())
    {
    }

    private void AddConsoleServices()
    {
        if (TestStores.Current == TestStore.Postgres)
        {
            _postgres = PostgresDatabases.CreateAsync(Xunit.TestContext.Current.CancellationToken).GetAwaiter().GetResult();
            Factory = new PeopleAdminContextFactory(PostgresDatabases.Options(_postgres));
        }
        else
        {
            var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions(), $"Data Source={Path.Combine(_directory, "test.db")}");
            Factory = new PeopleAdminContextFactory(options.Options);
        }

        Services.AddSingleton(Factory);
        Services.AddScoped<CurrentWorkspace>();
        Services.AddScoped<OperatorAccess>();
        Services.AddHttpContextAccessor();
        Services.AddSingleton<PeopleAdmin.Core.Operators.AuditTrail>();
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddPeopleService(new ConfigurationBuilder().Build());
        Services.AddScoped<PeopleConsole>();
        Services.AddScoped<PeopleAdmin.Web.Features.Segments.SegmentsConsole>();
        Services.AddSingleton(new WorkspaceCredentials(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider(), new CredentialHashKey(new byte[32])));
        Services.AddWorkspaces();
        Services.AddScoped<PeopleAdmin.Web.Features.Settings.SettingsConsole>();
        Services.AddScoped<WorkspacesConsole>();
        Services.AddScoped<PeopleAdmin.Web.Features.Objects.ObjectsConsole>();
        Services.AddSingleton<PeopleDirectory>();
        Services.AddIdentityCore<PeopleAdmin.Core.Operators.Operator>(PeopleAdmin.Web.Features.Operators.SignInRules.Apply)
            .AddRoles<Microsoft.AspNetCore.Identity.IdentityRole>()
            .AddEntityFrameworkStores<PeopleAdminDbContext>();
        Services.AddScoped(_ => Factory.CreateDbContext());
        Services.AddSingleton<PeopleAdmin.Web.Features.Operators.SetupState>();
        Services.AddScoped<PeopleAdmin.Web.Features.Operators.OperatorAccounts>();
        Services.AddSingleton<PeopleAdmin.Web.Features.Operators.OperatorSessions>();
        Services.AddSingleton<PeopleAdmin.Web.Features.Team.TeamService>();
        Services.AddSingleton(new CredentialHashKey(new byte[32]));
        Services.AddSingleton<PeopleAdmin.Core.Operators.PersonalTokens>();
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Services.AddSingleton<IServer, NoServer>();
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddOptions<PublicAddressOptions>().Configure(o => o.PublicBaseUrl = "https://people.example.test");
        Services.AddSingleton<PublicAddress>();
        Services.AddPeopleExportServices(Path.Combine(_directory, "exports"));
        PeopleAdmin.Web.Features.BulkActions.BulkActionsExtensions.AddBulkActionServices(Services);
        AddLeadAdsServices();
        AddSyncsServices();
        Services.AddSingleton(sp => new PeopleAdmin.Core.Imports.ImportService(
            Factory, sp.GetRequiredService<PeopleService>(), TimeProvider.System, ImportSettings, Path.Combine(_directory, "imports")));
        Services.AddScoped<PeopleAdmin.Web.Features.Imports.ImportsConsole>();
    }

    /// <summary>The import engine's settings; a test may change them before the first page or service uses the engine.</summary>
    protected PeopleAdmin.Core.Imports.ImportsOptions ImportSettings { get; } = new();

    /// <summary>The Syncs page's services, reaching the test source servers; no background worker runs.</summary>
    private void AddSyncsServices()
    {
        Services.AddSingleton(new PeopleAdmin.Core.Syncs.SyncSourceLimiter(100, 100));
        Services.AddSingleton<PeopleAdmin.Core.Syncs.SyncConnectionsService>();
        Services.AddSingleton<PeopleAdmin.Core.Syncs.SyncsService>();
        Services.AddSingleton<PeopleAdmin.Core.Syncs.SyncRunner>();
        Services.AddScoped<PeopleAdmin.Web.Features.Syncs.SyncsConsole>();
    }

    /// <summary>The Lead ads page's services; its Graph API address is never reached by the page tests.</summary>
    private void AddLeadAdsServices()
    {
        Services.AddSingleton<PeopleAdmin.Core.LeadAds.LeadAdsService>();
        Services.AddHttpClient();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new PeopleAdmin.Web.Features.LeadAds.LeadAdsOptions { GraphBaseUrl = "http://127.0.0.1:9" }));
        Services.AddSingleton<PeopleAdmin.Web.Features.LeadAds.GraphLeadClient>();
        Services.AddSingleton<PeopleAdmin.Web.Features.LeadAds.LeadProcessor>();
        Services.AddScoped<PeopleAdmin.Web.Features.LeadAds.LeadAdsConsole>();
    }

    /// <summary>The public address is configured, so the server's addresses are never asked for.</summary>
    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    protected IDbContextFactory<PeopleAdminDbContext> Factory { get; private set; } = null!;

    protected int WorkspaceId { get; private set; }

    /// <summary>Signs in an operator with the policies their role grants (the names of <c>Policies</c>).</summary>
    protected void SignIn(string email, params string[] policies)
    {
        Authorization.SetAuthorized(email);
        Authorization.SetPolicies(["CanViewPeople", .. policies]);
    }

    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await DatabaseMigrator.MigrateAsync(Factory, Xunit.TestContext.Current.CancellationToken);
        WorkspaceId = await AddWorkspaceAsync("Main");
    }

    /// <summary>Adds an operator account with a role (the role is made when missing); answers its id.</summary>
    protected async Task<string> AddOperatorAsync(string email, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole>>();
        if (!await roles.RoleExistsAsync(role))
        {
            await roles.CreateAsync(new Microsoft.AspNetCore.Identity.IdentityRole(role));
        }

        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PeopleAdmin.Core.Operators.Operator>>();
        var account = new PeopleAdmin.Core.Operators.Operator { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        (await users.CreateAsync(account, "a long enough password")).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(account, role)).Succeeded.ShouldBeTrue();
        return account.Id;
    }

    /// <summary>Identifies a person through the identity service, as the API would; answers their cio_id.</summary>
    protected async Task<string> IdentifyAsync(string reference, params (string Name, string Value)[] attributes)
    {
        var people = Services.GetRequiredService<PeopleService>();
        var result = await people.ExecuteAsync(
            new OperationContext(WorkspaceId, Sources.Api),
            new IdentifyOperation(PersonReference.Classify(reference, IdentifierMode.EmailOrId), attributes.ToDictionary(a => a.Name, a => AttributeValue.FromString(a.Value))),
            Xunit.TestContext.Current.CancellationToken);
        return result.CioId ?? throw new InvalidOperationException($"Identify {reference} was {result.Status}: {result.Error?.Message}");
    }

    protected async Task<int> AddWorkspaceAsync(string name, Action<WorkspaceSettings>? configure = null)
    {
        await using var db = await Factory.CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        var suffix = Guid.NewGuid().ToString("n");
        var workspace = new Workspace
        {
            Name = name,
            SiteId = "site" + suffix,
            TrackApiKeyHash = "track" + suffix,
            TrackApiKeyProtected = "track",
            AppApiKeyHash = "app" + suffix,
            AppApiKeyProtected = "app",
            CreatedAt = DateTime.UtcNow,
        };
        configure?.Invoke(workspace.Settings);
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        return workspace.Id;
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        if (_postgres is not null)
        {
            await PostgresDatabases.DropAsync(_postgres);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
    }
}
