using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People;

public static class PeopleServiceCollectionExtensions
{
    /// <summary>The identity service, its single writer, and the rules that run after its events.</summary>
    public static IServiceCollection AddPeopleService(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(WriterOptions.Section).Get<WriterOptions>() ?? new WriterOptions();
        services.AddSingleton(sp => new WriteQueue(
            sp.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>(),
            sp.GetRequiredService<TimeProvider>(),
            options,
            sp.GetRequiredService<ILogger<WriteQueue>>()));
        services.AddSingleton(sp => new Actions.RuleEngine(
            sp.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Actions.RuleEngine>>(),
            sp.GetService<Instances.IInstanceSignals>()));
        services.AddSingleton(sp => new PeopleService(
            sp.GetRequiredService<WriteQueue>(),
            sp.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Actions.RuleEngine>()));
        services.AddSingleton<Actions.RulesService>();
        services.AddSingleton<Objects.ObjectDirectory>();
        services.AddHostedService<Actions.RuleRunner>();
        services.AddSingleton(sp => new Forms.FormsService(
            sp.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>(),
            sp.GetRequiredService<PeopleService>()));
        return services;
    }
}
