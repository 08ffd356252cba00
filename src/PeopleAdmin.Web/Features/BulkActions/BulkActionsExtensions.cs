using PeopleAdmin.Core.BulkActions;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Web.Features.BulkActions;

internal static class BulkActionsExtensions
{
    /// <summary>Bulk actions on people: the service, its background worker and the People page's console.</summary>
    public static WebApplicationBuilder AddBulkActions(this WebApplicationBuilder builder)
    {
        builder.Services.AddBulkActionServices();
        builder.Services.AddHostedService<BulkActionWorker>();
        return builder;
    }

    /// <summary>What the pages use; no worker.</summary>
    public static IServiceCollection AddBulkActionServices(this IServiceCollection services)
    {
        services.AddSingleton(sp => new BulkActionService(
            sp.GetRequiredService<PeopleService>(), sp.GetRequiredService<AuditTrail>(), sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<BulkActionsConsole>();
        return services;
    }
}
