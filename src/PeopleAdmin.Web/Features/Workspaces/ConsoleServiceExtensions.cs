using PeopleAdmin.Web.Features.People;
using PeopleAdmin.Web.Features.Settings;

namespace PeopleAdmin.Web.Features.Workspaces;

internal static class ConsoleServiceExtensions
{
    /// <summary>The operator console's per-circuit services: the current workspace, role checks, settings.</summary>
    public static WebApplicationBuilder AddPeopleAdminConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CurrentWorkspace>();
        builder.Services.AddScoped<OperatorAccess>();
        builder.Services.AddScoped<SettingsConsole>();
        builder.Services.AddScoped<WorkspacesConsole>();
        builder.Services.AddScoped<PeopleConsole>();
        builder.Services.AddScoped<Forms.FormsConsole>();
        builder.Services.AddScoped<Segments.SegmentsConsole>();
        builder.Services.AddScoped<Rules.RulesConsole>();
        builder.Services.AddScoped<IntegrationsConsole>();
        builder.Services.AddScoped<Objects.ObjectsConsole>();
        builder.Services.AddSingleton<PeopleDirectory>();
        return builder;
    }
}
