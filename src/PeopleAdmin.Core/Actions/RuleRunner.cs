using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Actions;

/// <summary>Drains the rules' queue in the background for as long as the app runs.</summary>
internal sealed class RuleRunner(RuleEngine engine, IServiceProvider services) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The identity service is made here if nothing asked for it yet: it is what tells the engine about events.
        services.GetRequiredService<PeopleService>();
        return engine.RunAsync(stoppingToken);
    }
}
