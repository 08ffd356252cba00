using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Exports;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Web.Features.Exports;

internal static class ExportsExtensions
{
    /// <summary>Exports: the service, its background worker and the signed download links.</summary>
    public static WebApplicationBuilder AddPeopleExports(this WebApplicationBuilder builder)
    {
        builder.Services.AddPeopleExportServices(Path.Combine(DataPaths.DataDirectory(builder.Configuration), "exports"));
        builder.Services.AddHostedService<ExportWorker>();
        return builder;
    }

    /// <summary>What the pages and APIs use, with exports kept in <paramref name="directory"/>; no worker.</summary>
    public static IServiceCollection AddPeopleExportServices(this IServiceCollection services, string directory)
    {
        services.AddSingleton(sp => new ExportService(
            sp.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>(),
            sp.GetRequiredService<PeopleService>(),
            sp.GetRequiredService<TimeProvider>(),
            directory));
        services.AddSingleton<ExportLinks>();
        services.AddScoped<ExportsConsole>();
        return services;
    }

    /// <summary>The download behind a signed link: anonymous, because the link is the credential.</summary>
    public static IEndpointRouteBuilder MapExportDownload(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportLinks.Path + "/{token}", DownloadAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<Results<PhysicalFileHttpResult, NotFound<string>>> DownloadAsync(
        string token, ExportLinks links, ExportService exports, CancellationToken cancellationToken)
    {
        if (!links.TryRead(token, out var workspaceId, out var exportId))
        {
            return TypedResults.NotFound("This download link is not valid or has expired; ask for a new one.");
        }

        var export = await exports.GetAsync(workspaceId, exportId, cancellationToken);
        var file = exports.FileOf(exportId);
        if (export?.Status != ExportStatus.Done || !File.Exists(file))
        {
            return TypedResults.NotFound("This export has no file (it failed, was removed, or is not done yet).");
        }

        return TypedResults.PhysicalFile(file, "text/csv", $"people-export-{exportId}.csv");
    }
}
