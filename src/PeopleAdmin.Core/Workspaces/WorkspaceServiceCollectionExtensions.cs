using Microsoft.Extensions.DependencyInjection;

namespace PeopleAdmin.Core.Workspaces;

public static class WorkspaceServiceCollectionExtensions
{
    /// <summary>Workspace management and the cached directory that authenticates API requests.</summary>
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddSingleton<WorkspaceDirectory>();
        services.AddSingleton<WorkspaceService>();
        return services;
    }
}
