using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Web.Features.Imports;

internal static class ImportsExtensions
{
    /// <summary>CSV imports: the engine (files in <c>imports/</c> of the data folder), its options, and the worker that runs the queue.</summary>
    public static WebApplicationBuilder AddImports(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportsOptions>().BindConfiguration(ImportsOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.AllowedUrlHosts.All(h => !string.IsNullOrWhiteSpace(h)), "PeopleAdmin__Imports__AllowedUrlHosts must not hold an empty entry.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new ImportUrlFetcher(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportsOptions>>().Value));
        builder.Services.AddSingleton(sp => new ImportService(
            sp.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>(),
            sp.GetRequiredService<PeopleService>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportsOptions>>().Value,
            Path.Combine(DataPaths.DataDirectory(builder.Configuration), "imports"),
            sp.GetRequiredService<ImportUrlFetcher>()));
        builder.Services.AddHostedService<ImportWorker>();
        builder.Services.AddHostedService<UploadSweeper>();
        builder.Services.AddScoped<ImportsConsole>();
        return builder;
    }
}

/// <summary>
/// Runs the imports' queue (one import at a time per workspace), beside the requests: the writer takes an import's
/// batches between everyone else's operations, so pages and API calls keep their answers. After a restart it first
/// queues what was unfinished, each resuming after its last committed batch.
/// </summary>
internal sealed class ImportWorker(ImportService imports, Core.Instances.BackgroundLease lease, ILogger<ImportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only the lease holder resumes what looks unfinished: without the lease, another instance is alive and may be running it.
        if (lease.IsHeld)
        {
            await imports.RecoverAsync(stoppingToken);
        }

        // RunQueuedAsync records a failure on the import before it throws; the queue goes on with the next run.
        await imports.Queue.RunAsync(imports.RunQueuedAsync, (run, exception) => logger.LogError(exception, "Import {ImportId} failed", run.ImportId), stoppingToken);
    }
}

/// <summary>Deletes the uploads that never became an import (<see cref="ImportService.SweepAbandonedUploads"/>): at start, then every hour.</summary>
internal sealed class UploadSweeper(ImportService imports, TimeProvider clock, ILogger<UploadSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                if (imports.SweepAbandonedUploads() is > 0 and var swept)
                {
                    logger.LogInformation("Deleted {Count} uploads that never became an import", swept);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The next hour tries again; a file that cannot be deleted now must not stop the sweeps.
                logger.LogWarning(exception, "Sweeping abandoned uploads failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
