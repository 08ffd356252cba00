using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Syncs;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.AppApi;
using PeopleAdmin.Web.Features.TrackApi;
using static PeopleAdmin.Web.Features.ManagementApi.ManagementApi;

namespace PeopleAdmin.Web.Features.Syncs;

/// <summary>
/// <c>/api/admin/v1/workspaces/{id}/sync-connections</c> and <c>…/syncs</c>: database sync for automation, Admins and the
/// Owner only on every route (reads too: a connection names a customer's database server).
/// </summary>
internal static class SyncsApi
{
    public sealed record ConnectionRequest(string Name, string Kind, string Host, int Port, string Database, string User, string? Password, string? SslMode);

    public sealed record ConnectionBody(long ConnectionId, string Name, string Kind, string Host, int Port, string Database, string User, string SslMode, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    public sealed record TestBody(bool Ok, string? Stage, string? Message);

    public sealed record SegmentRequest(int? Id, string? Name);

    public sealed record SyncRequest(
        string Name, long ConnectionId, string Query, string Interval, string Identifier, string? DataToProcess, string? EmptyValues,
        SegmentRequest? Segment, bool? Paused, bool? ResetLastSyncTime);

    public sealed record SegmentBody(string Name);

    public sealed record SyncBody(
        long SyncId, string Name, long ConnectionId, string Query, string Interval, string Identifier, string DataToProcess, string EmptyValues,
        SegmentBody? Segment, bool Paused, DateTimeOffset? LastSyncTime, DateTimeOffset NextRunAt, RunBody? LastRun);

    public sealed record RunBody(
        long RunId, string State, bool Manual, long RowsRead, long RowsCreated, long RowsUpdated, long RowsSkipped, long RowsFailed,
        DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, string? Warning, long? ImportId, long Warnings);

    public sealed record RunStartedBody(long RunId);

    public sealed record RunsBody(List<RunBody> Runs, int Total);

    private static readonly (string Text, int Minutes)[] Intervals = [("15m", 15), ("1h", 60), ("6h", 360), ("24h", 1440)];

    public static RouteGroupBuilder MapSyncsApi(this RouteGroupBuilder admin)
    {
        var syncs = admin.MapGroup("/workspaces/{id:int}").RequireAuthorization(Operators.Policies.ManagementChange);
        syncs.MapGet("/sync-connections", ListConnectionsAsync).WithName("AdminListSyncConnections");
        syncs.MapPost("/sync-connections", CreateConnectionAsync).WithName("AdminCreateSyncConnection").AcceptsJson<ConnectionRequest>();
        syncs.MapPut("/sync-connections/{connectionId:long}", UpdateConnectionAsync).WithName("AdminUpdateSyncConnection").AcceptsJson<ConnectionRequest>();
        syncs.MapDelete("/sync-connections/{connectionId:long}", DeleteConnectionAsync).WithName("AdminDeleteSyncConnection");
        syncs.MapPost("/sync-connections/{connectionId:long}/test", TestConnectionAsync).WithName("AdminTestSyncConnection");
        syncs.MapGet("/syncs", ListSyncsAsync).WithName("AdminListSyncs");
        syncs.MapPost("/syncs", CreateSyncAsync).WithName("AdminCreateSync").AcceptsJson<SyncRequest>();
        syncs.MapGet("/syncs/{syncId:long}", GetSyncAsync).WithName("AdminGetSync");
        syncs.MapPut("/syncs/{syncId:long}", UpdateSyncAsync).WithName("AdminUpdateSync").AcceptsJson<SyncRequest>();
        syncs.MapDelete("/syncs/{syncId:long}", DeleteSyncAsync).WithName("AdminDeleteSync");
        syncs.MapPost("/syncs/{syncId:long}/run", RunAsync).WithName("AdminRunSync");
        syncs.MapGet("/syncs/{syncId:long}/runs", ListRunsAsync).WithName("AdminListSyncRuns");
        syncs.MapGet("/syncs/{syncId:long}/runs/{runId:long}", GetRunAsync).WithName("AdminGetSyncRun");
        syncs.MapGet("/syncs/{syncId:long}/runs/{runId:long}/errors.csv", (HttpContext http, int id, long syncId, long runId, SyncsService service, CancellationToken ct) =>
            ReportAsync(http, id, syncId, runId, ImportProblemKind.Error, service, ct)).WithName("AdminGetSyncRunErrors");
        syncs.MapGet("/syncs/{syncId:long}/runs/{runId:long}/warnings.csv", (HttpContext http, int id, long syncId, long runId, SyncsService service, CancellationToken ct) =>
            ReportAsync(http, id, syncId, runId, ImportProblemKind.Warning, service, ct)).WithName("AdminGetSyncRunWarnings");
        return admin;
    }

    internal static async Task<Results<Ok<List<ConnectionBody>>, JsonHttpResult<AppErrorBody>>> ListConnectionsAsync(
        int id, WorkspaceDirectory directory, SyncConnectionsService connections, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is null)
        {
            return NoWorkspace(id);
        }

        return TypedResults.Ok((await connections.ListAsync(id, ct)).Select(ToBody).ToList());
    }

    internal static Task<Results<Created<ConnectionBody>, Ok<ConnectionBody>, JsonHttpResult<AppErrorBody>>> CreateConnectionAsync(
        HttpContext http, int id, WorkspaceDirectory directory, SyncConnectionsService connections, CancellationToken ct) =>
        SaveConnectionAsync(http, id, null, directory, connections, ct);

    internal static Task<Results<Created<ConnectionBody>, Ok<ConnectionBody>, JsonHttpResult<AppErrorBody>>> UpdateConnectionAsync(
        HttpContext http, int id, long connectionId, WorkspaceDirectory directory, SyncConnectionsService connections, CancellationToken ct) =>
        SaveConnectionAsync(http, id, connectionId, directory, connections, ct);

    private static async Task<Results<Created<ConnectionBody>, Ok<ConnectionBody>, JsonHttpResult<AppErrorBody>>> SaveConnectionAsync(
        HttpContext http, int id, long? connectionId, WorkspaceDirectory directory, SyncConnectionsService connections, CancellationToken ct)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, ct);
        using (document)
        {
            if (problem is not null)
            {
                return AppApi.AppApi.Error(problem);
            }

            if (await directory.FindAsync(id, ct) is null)
            {
                return NoWorkspace(id);
            }

            if (ReadConnection(document!.RootElement, out var input) is { } invalid)
            {
                return AppApi.AppApi.Error(invalid);
            }

            var (connection, error) = await connections.SaveAsync(id, connectionId, input!, ct);
            if (error is not null)
            {
                return AppApi.AppApi.Error(TrackResults.Problem(error));
            }

            await RecordAsync(http, AuditActions.SyncConnectionSaved,
                $"workspace {id}: connection {connection!.Name} ({connection.Kind} {connection.Host}:{connection.Port}/{connection.Database}), through the management API");
            var body = ToBody(connection);
            return connectionId is null
                ? TypedResults.Created($"/api/admin/v1/workspaces/{id}/sync-connections/{connection.Id}", body)
                : TypedResults.Ok(body);
        }
    }

    internal static async Task<Results<NoContent, JsonHttpResult<AppErrorBody>>> DeleteConnectionAsync(
        HttpContext http, int id, long connectionId, SyncConnectionsService connections, CancellationToken ct)
    {
        if (await connections.DeleteAsync(id, connectionId, ct) is { } error)
        {
            return AppApi.AppApi.Error(TrackResults.Problem(error));
        }

        await RecordAsync(http, AuditActions.SyncConnectionDeleted, $"workspace {id}: connection {connectionId}, through the management API");
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<TestBody>, JsonHttpResult<AppErrorBody>>> TestConnectionAsync(
        HttpContext http, int id, long connectionId, SyncConnectionsService connections, CancellationToken ct)
    {
        var outcome = await connections.TestAsync(id, connectionId, ct);
        if (outcome is null)
        {
            return AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "connection_id", $"There is no connection {connectionId} in workspace {id}."));
        }

        if (outcome.RetryAfter is { } retry)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status429TooManyRequests, "connection_id",
                $"Test connection is limited per workspace; try again in {seconds} seconds."));
        }

        return TypedResults.Ok(outcome.Failure is { } failure ? new TestBody(false, failure.Stage, failure.Message) : new TestBody(true, null, null));
    }

    internal static async Task<Results<Ok<List<SyncBody>>, JsonHttpResult<AppErrorBody>>> ListSyncsAsync(
        int id, WorkspaceDirectory directory, SyncsService syncs, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is null)
        {
            return NoWorkspace(id);
        }

        return TypedResults.Ok((await syncs.ListAsync(id, ct)).Select(ToBody).ToList());
    }

    internal static async Task<Results<Ok<SyncBody>, JsonHttpResult<AppErrorBody>>> GetSyncAsync(int id, long syncId, SyncsService syncs, CancellationToken ct) =>
        await syncs.GetAsync(id, syncId, ct) is { } sync ? TypedResults.Ok(ToBody(sync)) : NoSync(id, syncId);

    internal static Task<Results<Created<SyncBody>, Ok<SyncBody>, JsonHttpResult<AppErrorBody>>> CreateSyncAsync(
        HttpContext http, int id, WorkspaceDirectory directory, SyncsService syncs, PeopleService people, CancellationToken ct) =>
        SaveSyncAsync(http, id, null, directory, syncs, people, ct);

    internal static Task<Results<Created<SyncBody>, Ok<SyncBody>, JsonHttpResult<AppErrorBody>>> UpdateSyncAsync(
        HttpContext http, int id, long syncId, WorkspaceDirectory directory, SyncsService syncs, PeopleService people, CancellationToken ct) =>
        SaveSyncAsync(http, id, syncId, directory, syncs, people, ct);

    private static async Task<Results<Created<SyncBody>, Ok<SyncBody>, JsonHttpResult<AppErrorBody>>> SaveSyncAsync(
        HttpContext http, int id, long? syncId, WorkspaceDirectory directory, SyncsService syncs, PeopleService people, CancellationToken ct)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, ct);
        using (document)
        {
            if (problem is not null)
            {
                return AppApi.AppApi.Error(problem);
            }

            if (await directory.FindAsync(id, ct) is null)
            {
                return NoWorkspace(id);
            }

            if (ReadSync(document!.RootElement, out var input, out var segmentId) is { } invalid)
            {
                return AppApi.AppApi.Error(invalid);
            }

            if (segmentId is { } segment)
            {
                if ((await people.ListSegmentsAsync(id, ct)).FirstOrDefault(s => s.Id == segment) is not { } found)
                {
                    return AppApi.AppApi.Error(ApiProblem.Invalid("segment.id", $"There is no manual segment {segment} in workspace {id}."));
                }

                input = input! with { SegmentName = found.Name };
            }

            var (sync, error) = await syncs.SaveAsync(id, syncId, input!, ct);
            if (error is not null)
            {
                if (error.RetryAfter is { } retry)
                {
                    http.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                return AppApi.AppApi.Error(TrackResults.Problem(error));
            }

            await RecordAsync(http, AuditActions.SyncSaved, $"workspace {id}: sync {sync!.Name} on connection {sync.ConnectionName}, through the management API");
            return syncId is null ? TypedResults.Created($"/api/admin/v1/workspaces/{id}/syncs/{sync.Id}", ToBody(sync)) : TypedResults.Ok(ToBody(sync));
        }
    }

    internal static async Task<Results<NoContent, JsonHttpResult<AppErrorBody>>> DeleteSyncAsync(HttpContext http, int id, long syncId, SyncsService syncs, CancellationToken ct)
    {
        if (await syncs.DeleteAsync(id, syncId, ct) is { } error)
        {
            return AppApi.AppApi.Error(TrackResults.Problem(error));
        }

        await RecordAsync(http, AuditActions.SyncDeleted, $"workspace {id}: sync {syncId}, through the management API");
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Accepted<RunStartedBody>, JsonHttpResult<AppErrorBody>>> RunAsync(
        int id, long syncId, SyncsService syncs, SyncRunner runner, CancellationToken ct)
    {
        var (runId, error) = await syncs.RunNowAsync(id, syncId, ct);
        if (error is not null)
        {
            return AppApi.AppApi.Error(TrackResults.Problem(error));
        }

        runner.Wake();
        return TypedResults.Accepted($"/api/admin/v1/workspaces/{id}/syncs/{syncId}/runs/{runId}", new RunStartedBody(runId!.Value));
    }

    internal static async Task<Results<Ok<RunsBody>, JsonHttpResult<AppErrorBody>>> ListRunsAsync(
        int id, long syncId, SyncsService syncs, CancellationToken ct, int start = 0, int limit = 50)
    {
        if (await syncs.GetAsync(id, syncId, ct) is null)
        {
            return NoSync(id, syncId);
        }

        var (runs, total) = await syncs.ListRunsAsync(id, syncId, Math.Max(0, start), Math.Clamp(limit, 1, 100), ct);
        return TypedResults.Ok(new RunsBody([.. runs.Select(ToBody)], total));
    }

    internal static async Task<Results<Ok<RunBody>, JsonHttpResult<AppErrorBody>>> GetRunAsync(int id, long syncId, long runId, SyncsService syncs, CancellationToken ct) =>
        await syncs.GetRunAsync(id, syncId, runId, ct) is { } run
            ? TypedResults.Ok(ToBody(run))
            : AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "run_id", $"Sync {syncId} of workspace {id} has no run {runId}."));

    /// <summary>A run's errors or warnings: its import's report, streamed (a run may fail a million rows).</summary>
    private static async Task<Results<EmptyHttpResult, JsonHttpResult<AppErrorBody>>> ReportAsync(
        HttpContext http, int id, long syncId, long runId, ImportProblemKind kind, SyncsService syncs, CancellationToken ct)
    {
        if (await syncs.GetRunAsync(id, syncId, runId, ct) is not { ImportId: not null })
        {
            return AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "run_id", $"Sync {syncId} of workspace {id} has no run {runId} that read rows."));
        }

        await Imports.ImportsApi.WriteCsvAsync(http, $"sync-{syncId}-run-{runId}-{(kind == ImportProblemKind.Error ? "errors" : "warnings")}.csv",
            writer => syncs.WriteReportAsync(id, syncId, runId, kind, writer, ct));
        return TypedResults.Empty;
    }

    private static JsonHttpResult<AppErrorBody> NoSync(int id, long syncId) =>
        AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "sync_id", $"There is no sync {syncId} in workspace {id}."));

    /// <summary>The body's shape and choices; the values' own rules are <see cref="SyncConnectionsService.Validate"/>'s.</summary>
    private static ApiProblem? ReadConnection(JsonElement body, out SyncConnectionInput? input)
    {
        input = null;
        string? name = null, kind = null, host = null, database = null, user = null, password = null, ssl = null;
        int? port = null;
        if ((TrackInput.RequireObject(body, "body")
            ?? TrackInput.ReadString(body, "name", required: true, out name)
            ?? TrackInput.ReadString(body, "kind", required: true, out kind)
            ?? TrackInput.ReadString(body, "host", required: true, out host)
            ?? TrackInput.ReadString(body, "database", required: true, out database)
            ?? TrackInput.ReadString(body, "user", required: true, out user)
            ?? TrackInput.ReadString(body, "password", required: false, out password)
            ?? TrackInput.ReadString(body, "ssl_mode", required: false, out ssl)
            ?? ReadInt(body, "port", out port)) is { } shape)
        {
            return shape;
        }

        SyncSourceKind? sourceKind = kind switch { "postgres" => SyncSourceKind.Postgres, "mysql" => SyncSourceKind.MySql, _ => null };
        if (sourceKind is null)
        {
            return ApiProblem.Invalid("kind", $"kind must be \"postgres\" or \"mysql\" (MySQL and MariaDB); it was \"{kind}\".");
        }

        if (ParseSsl(ssl ?? "prefer") is not { } sslMode)
        {
            return ApiProblem.Invalid("ssl_mode", $"ssl_mode must be one of {string.Join(", ", SslModes.Select(m => $"\"{m.Text}\""))}; it was \"{ssl}\".");
        }

        input = new SyncConnectionInput(name!, sourceKind.Value, host!, port ?? (sourceKind == SyncSourceKind.Postgres ? 5432 : 3306), database!, user!, password, sslMode);
        return null;
    }

    private static ApiProblem? ReadSync(JsonElement body, out SyncInput? input, out int? segmentId)
    {
        input = null;
        segmentId = null;
        string? name = null, query = null, interval = null, identifier = null, data = null, empty = null;
        long? connectionId = null;
        bool? paused = null, reset = null;
        if ((TrackInput.RequireObject(body, "body")
            ?? TrackInput.ReadString(body, "name", required: true, out name)
            ?? TrackInput.ReadString(body, "query", required: true, out query)
            ?? TrackInput.ReadString(body, "interval", required: true, out interval)
            ?? TrackInput.ReadString(body, "identifier", required: true, out identifier)
            ?? TrackInput.ReadString(body, "data_to_process", required: false, out data)
            ?? TrackInput.ReadString(body, "empty_values", required: false, out empty)
            ?? ReadLong(body, "connection_id", out connectionId)
            ?? ReadBool(body, "paused", out paused)
            ?? ReadBool(body, "reset_last_sync_time", out reset)) is { } shape)
        {
            return shape;
        }

        if (connectionId is null)
        {
            return ApiProblem.Invalid("connection_id", "connection_id is required: the id of one of the workspace's sync connections.");
        }

        var index = Array.FindIndex(Intervals, i => i.Text == interval);
        if (index < 0)
        {
            return ApiProblem.Invalid("interval", $"interval must be \"15m\", \"1h\", \"6h\" or \"24h\"; it was \"{interval}\".");
        }

        IdentifierKind? kind = identifier switch { "id" => IdentifierKind.Id, "email" => IdentifierKind.Email, _ => null };
        SyncDataToProcess? rows = (data ?? "all") switch { "all" => SyncDataToProcess.All, "only_new" => SyncDataToProcess.OnlyNew, "only_existing" => SyncDataToProcess.OnlyExisting, _ => null };
        SyncEmptyValues? values = (empty ?? "ignore") switch { "ignore" => SyncEmptyValues.Ignore, "remove" => SyncEmptyValues.Remove, _ => null };
        if (kind is null)
        {
            return ApiProblem.Invalid("identifier", $"identifier must be \"id\" or \"email\"; it was \"{identifier}\".");
        }

        if (rows is null)
        {
            return ApiProblem.Invalid("data_to_process", $"data_to_process must be \"all\", \"only_new\" or \"only_existing\"; it was \"{data}\".");
        }

        if (values is null)
        {
            return ApiProblem.Invalid("empty_values", $"empty_values must be \"ignore\" or \"remove\"; it was \"{empty}\".");
        }

        if (ReadSegment(body, out var segmentName, out segmentId) is { } segmentProblem)
        {
            return segmentProblem;
        }

        input = new SyncInput(name!, connectionId.Value, query!, Intervals[index].Minutes, kind.Value, rows.Value, values.Value, segmentName, paused ?? false, reset ?? false);
        return null;
    }

    private static ApiProblem? ReadSegment(JsonElement body, out string? name, out int? id)
    {
        name = null;
        id = null;
        if (!body.TryGetProperty("segment", out var segment) || segment.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (segment.ValueKind == JsonValueKind.Object && segment.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt32(out var segmentId) && segmentId > 0)
        {
            id = segmentId;
            return null;
        }

        if (segment.ValueKind == JsonValueKind.Object && segment.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
            && nameElement.GetString()!.Trim() is { Length: > 0 } trimmed)
        {
            name = trimmed;
            return null;
        }

        return ApiProblem.Invalid("segment", "segment must be {\"id\": <a manual segment's id>} or {\"name\": \"<the segment's name, made when missing>\"}.");
    }

    private delegate bool TryRead<T>(JsonElement element, out T value);

    /// <summary>An optional value of one JSON kind; absent or null leaves it null, anything else of the wrong kind is a 400.</summary>
    private static ApiProblem? ReadOptional<T>(JsonElement body, string name, string expected, TryRead<T> read, out T? value)
        where T : struct
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (read(element, out var parsed))
        {
            value = parsed;
            return null;
        }

        return ApiProblem.Invalid(name, $"{name} must be {expected}; it was {TrackInput.Kind(element)}.");
    }

    private static ApiProblem? ReadInt(JsonElement body, string name, out int? value) =>
        ReadOptional(body, name, "a whole number", (JsonElement e, out int v) => { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out v); }, out value);

    private static ApiProblem? ReadLong(JsonElement body, string name, out long? value) =>
        ReadOptional(body, name, "a whole number", (JsonElement e, out long v) => { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out v); }, out value);

    private static ApiProblem? ReadBool(JsonElement body, string name, out bool? value) =>
        ReadOptional(body, name, "true or false", (JsonElement e, out bool v) => { v = e.ValueKind == JsonValueKind.True; return e.ValueKind is JsonValueKind.True or JsonValueKind.False; }, out value);

    internal static readonly (string Text, SyncSslMode Mode)[] SslModes =
        [("disable", SyncSslMode.Disable), ("prefer", SyncSslMode.Prefer), ("require", SyncSslMode.Require), ("verify-ca", SyncSslMode.VerifyCa), ("verify-full", SyncSslMode.VerifyFull)];

    private static SyncSslMode? ParseSsl(string text) => SslModes.FirstOrDefault(m => m.Text == text) is { Text: not null } found ? found.Mode : null;

    internal static string SslText(SyncSslMode mode) => SslModes.First(m => m.Mode == mode).Text;

    internal static string IntervalText(int minutes) => Intervals.FirstOrDefault(i => i.Minutes == minutes).Text ?? $"{minutes}m";

    internal static string KindText(SyncSourceKind kind) => kind == SyncSourceKind.Postgres ? "postgres" : "mysql";

    internal static string StateText(SyncRunState state) => state.ToString().ToLowerInvariant();

    private static ConnectionBody ToBody(SyncConnectionSummary c) =>
        new(c.Id, c.Name, KindText(c.Kind), c.Host, c.Port, c.Database, c.User, SslText(c.SslMode), c.Created, c.Updated);

    private static SyncBody ToBody(SyncSummary s) => new(
        s.Id, s.Name, s.ConnectionId, s.Query, IntervalText(s.IntervalMinutes), s.Identifier == IdentifierKind.Email ? "email" : "id",
        s.DataToProcess switch { SyncDataToProcess.OnlyNew => "only_new", SyncDataToProcess.OnlyExisting => "only_existing", _ => "all" },
        s.EmptyValues == SyncEmptyValues.Remove ? "remove" : "ignore",
        s.SegmentName is { } segment ? new SegmentBody(segment) : null, s.Paused, s.LastSyncTime, s.NextRun, s.LastRun is { } run ? ToBody(run) : null);

    private static RunBody ToBody(SyncRunSummary r) => new(
        r.Id, StateText(r.State), r.Manual, r.RowsRead, r.RowsCreated, r.RowsUpdated, r.RowsSkipped, r.RowsFailed, r.Queued, r.Started, r.Finished, r.Error, r.Warning, r.ImportId, r.Warnings);
}
