using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Syncs;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Workspaces;

namespace PeopleAdmin.Web.Features.Syncs;

/// <summary>What the Syncs page reads and changes; every call checks the operator's role on the server (Admins and the Owner).</summary>
internal sealed class SyncsConsole(SyncConnectionsService connections, SyncsService syncs, SyncRunner runner, PeopleService people, OperatorAccess access)
{
    public const int RunsPageSize = 20;

    private static readonly RequestError Forbidden = new(ErrorKind.Invalid, "role", "Only Admins and the Owner can manage database syncs.");

    public Task<bool> CanManageAsync() => access.AllowsAsync(Policies.CanManageSettings);

    public Task<IReadOnlyList<SyncConnectionSummary>> ConnectionsAsync(int workspaceId, CancellationToken ct) => connections.ListAsync(workspaceId, ct);

    public Task<IReadOnlyList<SyncSummary>> SyncsAsync(int workspaceId, CancellationToken ct) => syncs.ListAsync(workspaceId, ct);

    public async Task<IReadOnlyList<string>> SegmentNamesAsync(int workspaceId, CancellationToken ct) =>
        [.. (await people.ListSegmentsAsync(workspaceId, ct)).Select(s => s.Name)];

    public async Task<(SyncConnectionSummary? Connection, RequestError? Error)> SaveConnectionAsync(int workspaceId, long? id, SyncConnectionInput input, CancellationToken ct)
    {
        if (!await CanManageAsync())
        {
            return (null, Forbidden);
        }

        var saved = await connections.SaveAsync(workspaceId, id, input, ct);
        if (saved.Connection is { } connection)
        {
            await access.RecordAsync(AuditActions.SyncConnectionSaved, $"workspace {workspaceId}: connection {connection.Name} ({connection.Kind} {connection.Host}:{connection.Port}/{connection.Database})", ct);
        }

        return saved;
    }

    public async Task<RequestError?> DeleteConnectionAsync(int workspaceId, SyncConnectionSummary connection, CancellationToken ct)
    {
        if (!await CanManageAsync())
        {
            return Forbidden;
        }

        var error = await connections.DeleteAsync(workspaceId, connection.Id, ct);
        if (error is null)
        {
            await access.RecordAsync(AuditActions.SyncConnectionDeleted, $"workspace {workspaceId}: connection {connection.Name}", ct);
        }

        return error;
    }

    public async Task<ConnectionTestOutcome?> TestConnectionAsync(int workspaceId, long id, CancellationToken ct) =>
        await CanManageAsync() ? await connections.TestAsync(workspaceId, id, ct) : null;

    public async Task<(SyncPreview? Preview, RequestError? Error)> PreviewAsync(int workspaceId, long connectionId, string query, IdentifierKind identifier, CancellationToken ct) =>
        await CanManageAsync() ? await syncs.PreviewAsync(workspaceId, connectionId, query, identifier, null, ct) : (null, Forbidden);

    public async Task<(SyncSummary? Sync, RequestError? Error)> SaveSyncAsync(int workspaceId, long? id, SyncInput input, CancellationToken ct)
    {
        if (!await CanManageAsync())
        {
            return (null, Forbidden);
        }

        var saved = await syncs.SaveAsync(workspaceId, id, input, ct);
        if (saved.Sync is { } sync)
        {
            await access.RecordAsync(AuditActions.SyncSaved, $"workspace {workspaceId}: sync {sync.Name} on connection {sync.ConnectionName}", ct);
            runner.Wake();
        }

        return saved;
    }

    public async Task<RequestError?> DeleteSyncAsync(int workspaceId, SyncSummary sync, CancellationToken ct)
    {
        if (!await CanManageAsync())
        {
            return Forbidden;
        }

        var error = await syncs.DeleteAsync(workspaceId, sync.Id, ct);
        if (error is null)
        {
            await access.RecordAsync(AuditActions.SyncDeleted, $"workspace {workspaceId}: sync {sync.Name}", ct);
        }

        return error;
    }

    public async Task<RequestError?> RunNowAsync(int workspaceId, long id, CancellationToken ct)
    {
        if (!await CanManageAsync())
        {
            return Forbidden;
        }

        var (_, error) = await syncs.RunNowAsync(workspaceId, id, ct);
        runner.Wake();
        return error;
    }

    public async Task<RequestError?> SetPausedAsync(int workspaceId, long id, bool paused, CancellationToken ct)
    {
        if (!await CanManageAsync())
        {
            return Forbidden;
        }

        var error = await syncs.SetPausedAsync(workspaceId, id, paused, ct);
        runner.Wake();
        return error;
    }

    public Task<(IReadOnlyList<SyncRunSummary> Runs, int Total)> RunsAsync(int workspaceId, long syncId, int page, CancellationToken ct) =>
        syncs.ListRunsAsync(workspaceId, syncId, Math.Max(0, page - 1) * RunsPageSize, RunsPageSize, ct);

    /// <summary>The rows a page shows of a run's errors or warnings; the management API's reports hold them all.</summary>
    public const int ReportRows = 1000;

    /// <summary>The first <see cref="ReportRows"/> errors or warnings of a run's import, as CSV.</summary>
    public async Task<string?> ReportAsync(int workspaceId, long syncId, long runId, ImportProblemKind kind, CancellationToken ct)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        return await syncs.WriteReportAsync(workspaceId, syncId, runId, kind, text, ct, ReportRows) ? text.ToString() : null;
    }
}

/// <summary>A run's errors or warnings, asked for on the page.</summary>
public sealed record RunReportRequest(SyncRunSummary Run, ImportProblemKind Kind);

/// <summary>A run's errors or warnings as the page shows them: the first <see cref="SyncsConsole.ReportRows"/>, as CSV.</summary>
public sealed record RunReport(SyncRunSummary Run, ImportProblemKind Kind, string Text);
