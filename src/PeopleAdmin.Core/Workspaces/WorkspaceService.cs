using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Workspaces;

/// <summary>A workspace as lists show it: no secrets.</summary>
public sealed record WorkspaceSummary(int Id, string Name, string SiteId, WorkspaceSettings Settings, DateTime CreatedAt);

/// <summary>A workspace's credentials in clear: shown once on create and rotate, or revealed to an admin.</summary>
public sealed record WorkspaceKeys(string SiteId, string TrackApiKey, string AppApiKey);

public sealed record CreatedWorkspace(WorkspaceSummary Workspace, WorkspaceKeys Keys);

/// <summary>Either a value or the error that says what, where and why (and then nothing changed).</summary>
public sealed record WorkspaceResult<T>(T? Value, RequestError? Error)
    where T : class
{
    public bool Succeeded => Error is null;
}

internal static class WorkspaceResult
{
    public static WorkspaceResult<T> Ok<T>(T value)
        where T : class => new(value, null);

    public static WorkspaceResult<T> Fail<T>(ErrorKind kind, string field, string message)
        where T : class => new(null, new RequestError(kind, field, message));
}

/// <summary>
/// Creates, lists, renames and deletes workspaces and manages their credentials. Writes here happen outside the
/// people store's single writer (they are rare, and SQLite connections wait on a busy timeout); every change that
/// affects authentication or settings invalidates the <see cref="WorkspaceDirectory"/> after it commits.
/// Settings changes go through the identity service, whose rules check the existing data.
/// </summary>
public sealed class WorkspaceService
{
    public const int MaxNameLength = 100;

    private readonly IDbContextFactory<PeopleAdminDbContext> _factory;
    private readonly WorkspaceCredentials _credentials;
    private readonly WorkspaceDirectory _directory;
    private readonly TimeProvider _clock;

    public WorkspaceService(
        IDbContextFactory<PeopleAdminDbContext> factory,
        WorkspaceCredentials credentials,
        WorkspaceDirectory directory,
        TimeProvider clock)
    {
        _factory = factory;
        _credentials = credentials;
        _directory = directory;
        _clock = clock;
    }

    public async Task<IReadOnlyList<WorkspaceSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).ToListAsync(cancellationToken);
        return [.. workspaces.Select(ToSummary)];
    }

    public async Task<WorkspaceSummary?> GetAsync(int workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        return workspace is null ? null : ToSummary(workspace);
    }

    /// <summary>Creates a workspace with a new site id and keys, answered in clear this once.</summary>
    public async Task<WorkspaceResult<CreatedWorkspace>> CreateAsync(string? name, WorkspaceSettings? settings, CancellationToken cancellationToken)
    {
        if (ValidateName(name) is { } nameError)
        {
            return new(null, nameError);
        }

        settings ??= new WorkspaceSettings();
        if (ValidateSettings(settings) is { } settingsError)
        {
            return new(null, settingsError);
        }

        settings.AllowedOrigins = AllowedOrigins.NormalizeAll(settings.AllowedOrigins, out _)!;

        var keys = new WorkspaceKeys(WorkspaceCredentials.NewSecret(), WorkspaceCredentials.NewSecret(), WorkspaceCredentials.NewSecret());
        var workspace = new Workspace
        {
            Name = name!.Trim(),
            SiteId = keys.SiteId,
            TrackApiKeyHash = _credentials.Hash(keys.TrackApiKey),
            TrackApiKeyProtected = _credentials.Protect(keys.TrackApiKey),
            AppApiKeyHash = _credentials.Hash(keys.AppApiKey),
            AppApiKeyProtected = _credentials.Protect(keys.AppApiKey),
            Settings = settings.Clone(),
            CreatedAt = _clock.GetUtcNow().UtcDateTime,
        };

        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        if (await NameTakenAsync(db, workspace.NormalizedName, exceptId: null, cancellationToken))
        {
            return NameConflict<CreatedWorkspace>(workspace.Name);
        }

        db.Workspaces.Add(workspace);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (IsNameTaken(exception))
        {
            return NameConflict<CreatedWorkspace>(workspace.Name);
        }

        await _directory.InvalidateAsync(workspace.Id, cancellationToken);
        return WorkspaceResult.Ok<CreatedWorkspace>(new CreatedWorkspace(ToSummary(workspace), keys));
    }

    public async Task<WorkspaceResult<WorkspaceSummary>> RenameAsync(int workspaceId, string? name, CancellationToken cancellationToken)
    {
        if (ValidateName(name) is { } nameError)
        {
            return new(null, nameError);
        }

        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        if (workspace is null)
        {
            return NotFound<WorkspaceSummary>(workspaceId);
        }

        var trimmed = name!.Trim();
        if (await NameTakenAsync(db, Workspace.NormalizeName(trimmed), workspaceId, cancellationToken))
        {
            return NameConflict<WorkspaceSummary>(trimmed);
        }

        workspace.Name = trimmed;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (IsNameTaken(exception))
        {
            return NameConflict<WorkspaceSummary>(trimmed);
        }

        await _directory.InvalidateAsync(workspaceId, cancellationToken);
        return WorkspaceResult.Ok<WorkspaceSummary>(ToSummary(workspace));
    }

    /// <summary>Deletes the workspace and everything in it (people, activity, segments, settings history).</summary>
    public async Task<WorkspaceResult<WorkspaceSummary>> DeleteAsync(int workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        if (workspace is null)
        {
            return NotFound<WorkspaceSummary>(workspaceId);
        }

        if (!await db.Workspaces.AnyAsync(w => w.Id != workspaceId, cancellationToken))
        {
            return WorkspaceResult.Fail<WorkspaceSummary>(
                ErrorKind.Conflict, "id", $"Workspace {workspaceId} is the only workspace; PeopleAdmin keeps at least one. Create another one first.");
        }

        // The foreign keys of every people-store table cascade, so one statement removes it all in one transaction.
        await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteDeleteAsync(cancellationToken);
        await _directory.InvalidateAsync(workspaceId, cancellationToken);
        return WorkspaceResult.Ok<WorkspaceSummary>(ToSummary(workspace));
    }

    /// <summary>New Track and App API keys, the same site id; the old keys stop working at once.</summary>
    public async Task<WorkspaceResult<WorkspaceKeys>> RotateCredentialsAsync(int workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        if (workspace is null)
        {
            return NotFound<WorkspaceKeys>(workspaceId);
        }

        var keys = new WorkspaceKeys(workspace.SiteId, WorkspaceCredentials.NewSecret(), WorkspaceCredentials.NewSecret());
        workspace.TrackApiKeyHash = _credentials.Hash(keys.TrackApiKey);
        workspace.TrackApiKeyProtected = _credentials.Protect(keys.TrackApiKey);
        workspace.AppApiKeyHash = _credentials.Hash(keys.AppApiKey);
        workspace.AppApiKeyProtected = _credentials.Protect(keys.AppApiKey);
        await db.SaveChangesAsync(cancellationToken);
        await _directory.InvalidateAsync(workspaceId, cancellationToken);
        return WorkspaceResult.Ok<WorkspaceKeys>(keys);
    }

    /// <summary>Decrypts the workspace's keys to show them to an admin (the caller checks that it is one).</summary>
    public async Task<WorkspaceResult<WorkspaceKeys>> RevealKeysAsync(int workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        if (workspace is null)
        {
            return NotFound<WorkspaceKeys>(workspaceId);
        }

        return WorkspaceResult.Ok<WorkspaceKeys>(new WorkspaceKeys(
            workspace.SiteId,
            _credentials.Unprotect(workspace.TrackApiKeyProtected),
            _credentials.Unprotect(workspace.AppApiKeyProtected)));
    }

    public static RequestError? ValidateName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return new RequestError(ErrorKind.Invalid, "name", "A workspace needs a name: it was missing or blank.");
        }

        if (trimmed.Length > MaxNameLength)
        {
            return new RequestError(ErrorKind.Invalid, "name", $"A workspace name has at most {MaxNameLength} characters; this one has {trimmed.Length}.");
        }

        if (trimmed.Any(char.IsControl))
        {
            return new RequestError(ErrorKind.Invalid, "name", "A workspace name cannot contain control characters (line breaks, tabs).");
        }

        return null;
    }

    /// <summary>The checks a new workspace's settings need; there are no people yet, so nothing can conflict.</summary>
    public static RequestError? ValidateSettings(WorkspaceSettings settings)
    {
        if (settings.RateLimitPerSecond is { } limit && (limit < 1 || limit > 1_000_000))
        {
            return new RequestError(ErrorKind.Invalid, "rate_limit_per_second", $"rate_limit_per_second must be between 1 and 1000000, or null for the configured default; it was {limit}.");
        }

        if (!Enum.IsDefined(settings.Identifiers))
        {
            return new RequestError(ErrorKind.Invalid, "identifiers", "identifiers must be email_or_id or id_only.");
        }

        if (AllowedOrigins.NormalizeAll(settings.AllowedOrigins, out var originError) is null)
        {
            return new RequestError(ErrorKind.Invalid, originError!.Value.Field, originError.Value.Message);
        }

        for (var i = 0; i < settings.BlockedIdentifierValues.Count; i++)
        {
            var value = settings.BlockedIdentifierValues[i];
            if (string.IsNullOrEmpty(value) || value.Length > 150)
            {
                return new RequestError(ErrorKind.Invalid, $"blocked_identifier_values[{i}]", "A blocked identifier value must be between 1 and 150 characters.");
            }
        }

        return null;
    }

    private static Task<bool> NameTakenAsync(PeopleAdminDbContext db, string normalizedName, int? exceptId, CancellationToken cancellationToken) =>
        db.Workspaces.AnyAsync(w => w.NormalizedName == normalizedName && w.Id != exceptId, cancellationToken);

    // A concurrent create or rename took the name between the check and the commit: the unique index says so.
    private static bool IsNameTaken(DbUpdateException exception) =>
        exception.InnerException?.Message.Contains(nameof(Workspace.NormalizedName), StringComparison.Ordinal) == true;

    private static WorkspaceResult<T> NameConflict<T>(string name)
        where T : class =>
        WorkspaceResult.Fail<T>(ErrorKind.Conflict, "name", $"A workspace named '{name}' already exists (names are compared ignoring case and surrounding spaces).");

    private static WorkspaceResult<T> NotFound<T>(int workspaceId)
        where T : class =>
        WorkspaceResult.Fail<T>(ErrorKind.NotFound, "id", $"There is no workspace {workspaceId}.");

    private static WorkspaceSummary ToSummary(Workspace workspace) =>
        new(workspace.Id, workspace.Name, workspace.SiteId, workspace.Settings.Clone(), workspace.CreatedAt);
}
