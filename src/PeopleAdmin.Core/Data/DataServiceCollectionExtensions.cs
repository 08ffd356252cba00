using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People.Store.Sqlite;

namespace PeopleAdmin.Core.Data;

public static class DataServiceCollectionExtensions
{
    public const string SqliteMigrationsAssembly = "PeopleAdmin.Migrations.Sqlite";

    public const string PostgresMigrationsAssembly = "PeopleAdmin.Migrations.Postgres";

    /// <summary>The one place that chooses the database provider.</summary>
    public static IServiceCollection AddPeopleAdminData(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = DataPaths.ConnectionString(configuration, options);
        services.AddSingleton(options);
        services.AddDbContextFactory<PeopleAdminDbContext>(builder => Configure(builder, options, connectionString));
        if (options.IsPostgres())
        {
            services.AddSingleton<People.Store.Postgres.PostgresSignals>();
            services.AddSingleton<Instances.IInstanceSignals>(sp => sp.GetRequiredService<People.Store.Postgres.PostgresSignals>());
            services.AddHostedService<People.Store.Postgres.PostgresSignalsListener>();
        }
        else
        {
            services.AddSingleton<Instances.IInstanceSignals, Instances.InProcessSignals>();
        }

        services.AddOptions<Instances.LeaseOptions>().BindConfiguration(Instances.LeaseOptions.Section)
            .Validate(o => o.Duration >= TimeSpan.FromSeconds(1), "PeopleAdmin__Lease__Duration must be at least 00:00:01.")
            .ValidateOnStart();
        services.AddSingleton<Instances.BackgroundLease>();
        services.AddHostedService<Instances.BackgroundLeaseKeeper>();
        return services;
    }

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options, string connectionString)
    {
        if (options.IsPostgres())
        {
            builder.UseNpgsql(connectionString, postgres => postgres.MigrationsAssembly(PostgresMigrationsAssembly))
                .AddInterceptors(People.Store.Postgres.PostgresRowCounter.Instance, People.Store.Postgres.PostgresHeldWrites.Instance);
            return;
        }

        if (!string.Equals(options.Provider, DatabaseProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"PeopleAdmin__Database__Provider is '{options.Provider}', which PeopleAdmin does not support. " +
                $"Accepted values: {string.Join(", ", DatabaseProviders.Accepted)}.");
        }

        builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
            .AddInterceptors(new SqlitePragmas(options));
    }
}
