using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Web.Infrastructure;

internal static class DataExtensions
{
    /// <summary>The database, the Data Protection key ring beside it, and workspace credentials.</summary>
    public static WebApplicationBuilder AddPeopleAdminData(this WebApplicationBuilder builder)
    {
        var dataDirectory = DataPaths.DataDirectory(builder.Configuration);
        builder.Services.AddPeopleAdminData(builder.Configuration);
        var keyRing = Path.Combine(dataDirectory, "keys");
        PrivateFiles.CreateFolder(keyRing);
        builder.Services.AddDataProtection()
            .SetApplicationName("PeopleAdmin")
            .PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        builder.Services.AddSingleton(_ => CredentialHashKey.LoadOrCreate(dataDirectory));
        builder.Services.AddSingleton<WorkspaceCredentials>();
        builder.Services.AddWorkspaces();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPeopleService(builder.Configuration);
        builder.Services.AddOptions<DefaultWorkspaceOptions>().BindConfiguration(DefaultWorkspaceOptions.Section);
        return builder;
    }

    /// <summary>Migrates the database and makes sure the default workspace exists, before the app serves anything.</summary>
    public static async Task InitializePeopleAdminDataAsync(this WebApplication app)
    {
        var services = app.Services;
        var factory = services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("PeopleAdmin.Startup");
        await DatabaseMigrator.MigrateWhenReachableAsync(factory, logger, app.Lifetime.ApplicationStopping);
        await DefaultWorkspace.EnsureAsync(
            factory,
            services.GetRequiredService<WorkspaceCredentials>(),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DefaultWorkspaceOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            logger,
            app.Lifetime.ApplicationStopping);
    }
}
