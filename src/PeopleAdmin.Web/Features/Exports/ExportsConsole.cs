using PeopleAdmin.Core.Exports;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Web.Features.AppApi;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;

namespace PeopleAdmin.Web.Features.Exports;

/// <summary>
/// The People page's exports, on the current workspace: any operator who may view people may export them (the role is
/// checked here, on the server), and every export is recorded in the audit trail with the operator.
/// </summary>
internal sealed class ExportsConsole(ExportService exports, ExportLinks links, CurrentWorkspace current, OperatorAccess access, AuditTrail audit)
{
    public const int Recent = 10;

    /// <summary>The export, or why it was not started.</summary>
    public async Task<(Export? Export, string? Problem)> StartAsync(AudienceFilter filter, IReadOnlyList<string> attributes, bool warehouseNames, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(Policies.CanViewPeople))
        {
            return (null, "Only operators who may view people can export them.");
        }

        var workspace = await current.GetAsync(cancellationToken);
        var actor = await access.ActorAsync();
        var export = await exports.CreateAsync(workspace.Id, new ExportRequest(filter, attributes, warehouseNames, actor), cancellationToken);
        if (export is null)
        {
            return (null, $"{ExportService.QueueCapacity} exports are already waiting; try again when some are done.");
        }

        await audit.RecordAsync(AuditActions.PeopleExported, actor, AudienceEndpoints.Describe(workspace.Id, export), null, cancellationToken);
        return (export, null);
    }

    public async Task<IReadOnlyList<Export>> RecentAsync(CancellationToken cancellationToken)
    {
        var workspace = await current.GetAsync(cancellationToken);
        return await exports.ListAsync(workspace.Id, Recent, cancellationToken);
    }

    public string DownloadLink(Export export) => links.Link(export.WorkspaceId, export.Id);
}
