using PeopleAdmin.Core.Syncs;

namespace PeopleAdmin.Web.Features.Syncs;

/// <summary><c>PeopleAdmin:Syncs</c>: how often the scheduler looks, how many runs go at once, and the limits on asking source databases.</summary>
internal sealed class SyncsOptions
{
    public const string Section = "PeopleAdmin:Syncs";

    /// <summary>How often the scheduler looks for syncs that are due (Run now wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Runs going at once on this instance, across syncs (each sync has one at a time anyway).</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Test connection attempts per minute per workspace, so that it cannot be used to scan a network's ports.</summary>
    public int ConnectionTestsPerMinute { get; set; } = 10;

    /// <summary>Sync saves and previews per minute per workspace: each runs the query on the customer's database.</summary>
    public int SourceQueriesPerMinute { get; set; } = 30;

    /// <summary>Off in tests that drive the scheduler and the runner themselves.</summary>
    public bool RunInBackground { get; set; } = true;
}

internal static class SyncsServiceExtensions
{
    public static WebApplicationBuilder AddSyncs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SyncsOptions>().BindConfiguration(SyncsOptions.Section)
            .Validate(o => o.PollInterval > TimeSpan.Zero, "PeopleAdmin__Syncs__PollInterval must be positive, such as 00:00:15.")
            .Validate(o => o.MaxConcurrentRuns is > 0 and <= 32, "PeopleAdmin__Syncs__MaxConcurrentRuns must be between 1 and 32.")
            .Validate(o => o.ConnectionTestsPerMinute is > 0 and <= 1000, "PeopleAdmin__Syncs__ConnectionTestsPerMinute must be between 1 and 1000.")
            .Validate(o => o.SourceQueriesPerMinute is > 0 and <= 1000, "PeopleAdmin__Syncs__SourceQueriesPerMinute must be between 1 and 1000.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SyncsOptions>>().Value;
            return new SyncSourceLimiter(options.ConnectionTestsPerMinute, options.SourceQueriesPerMinute);
        });
        builder.Services.AddSingleton<SyncConnectionsService>();
        builder.Services.AddSingleton<SyncsService>();
        builder.Services.AddSingleton<SyncRunner>();
        builder.Services.AddSingleton<SyncScheduler>();
        builder.Services.AddScoped<SyncsConsole>();
        builder.Services.AddHostedService<SyncWorker>();
        return builder;
    }
}
