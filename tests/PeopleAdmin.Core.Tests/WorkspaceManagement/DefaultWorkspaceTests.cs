using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.WorkspaceManagement;

/// <summary>What the configured default-workspace credentials do across restarts (identity contract, "default workspace").</summary>
[BothStores]
public sealed class DefaultWorkspaceTests : IAsyncLifetime
{
    private static readonly DefaultWorkspaceOptions Configured = new() { SiteId = "fixedsite", TrackApiKey = "fixedtrack", AppApiKey = "fixedapp" };

    private readonly WarningLog _log = new();
    private TestDatabase _database = null!;
    private WorkspaceCredentials _credentials = null!;
    private WorkspaceDirectory _directory = null!;
    private WorkspaceService _service = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(Ct);
        _credentials = new WorkspaceCredentials(new EphemeralDataProtectionProvider(), new CredentialHashKey(new byte[32]));
        _directory = new WorkspaceDirectory(_database.Factory, _credentials);
        _service = new WorkspaceService(_database.Factory, _credentials, _directory, TimeProvider.System);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private Task StartAsync() => DefaultWorkspace.EnsureAsync(_database.Factory, _credentials, Configured, TimeProvider.System, _log, Ct);

    [Fact]
    public async Task FirstStartCreatesTheDefaultWorkspaceWithTheConfiguredKeys()
    {
        await StartAsync();

        var workspace = (await _directory.AuthenticateTrackAsync("fixedsite", "fixedtrack", Ct)).ShouldNotBeNull();
        (await _directory.AuthenticateAppAsync("fixedapp", Ct))!.Id.ShouldBe(workspace.Id);
        _log.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task ARestartAfterTheDefaultWorkspaceIsDeletedGivesItsKeysToNobody()
    {
        await StartAsync();
        var defaultId = (await _directory.AuthenticateAppAsync("fixedapp", Ct))!.Id;
        var other = (await _service.CreateAsync("Someone else's", null, Ct)).Value!;
        (await _service.DeleteAsync(defaultId, Ct)).Succeeded.ShouldBeTrue();
        await _directory.InvalidateAsync(defaultId, Ct);

        await StartAsync();

        (await _directory.AuthenticateTrackAsync("fixedsite", "fixedtrack", Ct)).ShouldBeNull();
        (await _directory.AuthenticateAppAsync("fixedapp", Ct)).ShouldBeNull();
        (await _directory.AuthenticateTrackAsync(other.Keys.SiteId, other.Keys.TrackApiKey, Ct))!.Id.ShouldBe(other.Workspace.Id);
        (await _directory.AuthenticateAppAsync(other.Keys.AppApiKey, Ct))!.Id.ShouldBe(other.Workspace.Id);
        (await _service.ListAsync(Ct)).Select(w => w.Id).ShouldBe([other.Workspace.Id]);
        _log.Warnings.ShouldHaveSingleItem().ShouldContain("nothing was changed");
    }

    [Fact]
    public async Task ARestartKeepsARotatedKeyDeadAndLogsThatTheConfiguredKeysDiffer()
    {
        await StartAsync();
        var defaultId = (await _directory.AuthenticateAppAsync("fixedapp", Ct))!.Id;
        var rotated = (await _service.RotateCredentialsAsync(defaultId, Ct)).Value!;

        await StartAsync();
        await _directory.InvalidateAsync(defaultId, Ct);

        (await _directory.AuthenticateTrackAsync("fixedsite", "fixedtrack", Ct)).ShouldBeNull();
        (await _directory.AuthenticateAppAsync("fixedapp", Ct)).ShouldBeNull();
        (await _directory.AuthenticateTrackAsync("fixedsite", rotated.TrackApiKey, Ct))!.Id.ShouldBe(defaultId);
        _log.Warnings.ShouldHaveSingleItem().ShouldContain("differ from the stored ones");
    }

    [Fact]
    public async Task ARestartWithTheSameConfiguredKeysLogsNothing()
    {
        await StartAsync();

        await StartAsync();

        _log.Warnings.ShouldBeEmpty();
        (await _service.ListAsync(Ct)).ShouldHaveSingleItem();
    }

    private sealed class WarningLog : ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
