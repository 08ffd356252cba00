using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.WorkspaceManagement;

[BothStores]
public sealed class WorkspaceServiceTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private WorkspaceDirectory _directory = null!;
    private WorkspaceService _service = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(Ct);
        var credentials = new WorkspaceCredentials(new EphemeralDataProtectionProvider(), new CredentialHashKey(new byte[32]));
        _directory = new WorkspaceDirectory(_database.Factory, credentials);
        _service = new WorkspaceService(_database.Factory, credentials, _directory, TimeProvider.System);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task CreatedKeysAuthenticateTheirOwnWorkspaceOnly()
    {
        var first = (await _service.CreateAsync("First", null, Ct)).Value!;
        var second = (await _service.CreateAsync("Second", null, Ct)).Value!;

        (await _directory.AuthenticateTrackAsync(first.Keys.SiteId, first.Keys.TrackApiKey, Ct))!.Id.ShouldBe(first.Workspace.Id);
        (await _directory.AuthenticateAppAsync(second.Keys.AppApiKey, Ct))!.Id.ShouldBe(second.Workspace.Id);
        (await _directory.AuthenticateTrackAsync(first.Keys.SiteId, second.Keys.TrackApiKey, Ct)).ShouldBeNull();
        (await _directory.AuthenticateTrackAsync(first.Keys.SiteId, first.Keys.AppApiKey, Ct)).ShouldBeNull();
        (await _directory.AuthenticateTrackAsync("unknown-site", first.Keys.TrackApiKey, Ct)).ShouldBeNull();
        (await _directory.AuthenticateAppAsync(first.Keys.TrackApiKey, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task CreateKeepsTheGivenSettingsAndListShowsEveryWorkspace()
    {
        var settings = new WorkspaceSettings { Identifiers = IdentifierMode.IdOnly, RateLimitPerSecond = 50 };

        var created = await _service.CreateAsync("  Marketing  ", settings, Ct);

        created.Value!.Workspace.Name.ShouldBe("Marketing");
        var listed = await _service.ListAsync(Ct);
        listed.Single().Settings.Identifiers.ShouldBe(IdentifierMode.IdOnly);
        (await _directory.FindAsync(created.Value.Workspace.Id, Ct))!.RateLimitPerSecond.ShouldBe(50);
    }

    [Theory]
    [InlineData(null, ErrorKind.Invalid)]
    [InlineData("   ", ErrorKind.Invalid)]
    [InlineData("line\nbreak", ErrorKind.Invalid)]
    [InlineData("marketing", ErrorKind.Conflict)]
    [InlineData(" MARKETING ", ErrorKind.Conflict)]
    public async Task CreateRefusesBadOrTakenNamesAndChangesNothing(string? name, ErrorKind expected)
    {
        await _service.CreateAsync("Marketing", null, Ct);

        var result = await _service.CreateAsync(name, null, Ct);

        result.Error!.Kind.ShouldBe(expected);
        result.Error.Field.ShouldBe("name");
        (await _service.ListAsync(Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task CreateRefusesANameOverTheLimit()
    {
        var result = await _service.CreateAsync(new string('x', WorkspaceService.MaxNameLength + 1), null, Ct);

        result.Error!.Message.ShouldContain("at most 100 characters");
    }

    [Fact]
    public async Task RenameChangesTheNameButNotToOneTaken()
    {
        var first = (await _service.CreateAsync("First", null, Ct)).Value!.Workspace;
        await _service.CreateAsync("Second", null, Ct);

        var renamed = await _service.RenameAsync(first.Id, "first (EU)", Ct);
        var clash = await _service.RenameAsync(first.Id, "second", Ct);
        var missing = await _service.RenameAsync(9999, "Other", Ct);

        renamed.Value!.Name.ShouldBe("first (EU)");
        clash.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        missing.Error!.Kind.ShouldBe(ErrorKind.NotFound);
        (await _service.GetAsync(first.Id, Ct))!.Name.ShouldBe("first (EU)");
    }

    [Fact]
    public async Task RotationStopsTheOldKeysAtOnceAndKeepsTheSiteId()
    {
        var created = (await _service.CreateAsync("First", null, Ct)).Value!;
        (await _directory.AuthenticateTrackAsync(created.Keys.SiteId, created.Keys.TrackApiKey, Ct)).ShouldNotBeNull();
        (await _directory.AuthenticateAppAsync(created.Keys.AppApiKey, Ct)).ShouldNotBeNull();

        var rotated = (await _service.RotateCredentialsAsync(created.Workspace.Id, Ct)).Value!;

        rotated.SiteId.ShouldBe(created.Keys.SiteId);
        (await _directory.AuthenticateTrackAsync(created.Keys.SiteId, created.Keys.TrackApiKey, Ct)).ShouldBeNull();
        (await _directory.AuthenticateAppAsync(created.Keys.AppApiKey, Ct)).ShouldBeNull();
        (await _directory.AuthenticateTrackAsync(rotated.SiteId, rotated.TrackApiKey, Ct)).ShouldNotBeNull();
        (await _directory.AuthenticateAppAsync(rotated.AppApiKey, Ct)).ShouldNotBeNull();
        (await _service.RevealKeysAsync(created.Workspace.Id, Ct)).Value.ShouldBe(rotated);
    }

    [Fact]
    public async Task DeleteRemovesTheWorkspaceWithEverythingInItAndItsKeysStop()
    {
        var keep = (await _service.CreateAsync("Keep", null, Ct)).Value!;
        var gone = (await _service.CreateAsync("Gone", null, Ct)).Value!;
        await AddPersonWithSegmentAsync(keep.Workspace.Id);
        await AddPersonWithSegmentAsync(gone.Workspace.Id);
        (await _directory.AuthenticateAppAsync(gone.Keys.AppApiKey, Ct)).ShouldNotBeNull();

        var result = await _service.DeleteAsync(gone.Workspace.Id, Ct);

        result.Succeeded.ShouldBeTrue();
        (await _directory.AuthenticateAppAsync(gone.Keys.AppApiKey, Ct)).ShouldBeNull();
        (await _directory.FindAsync(gone.Workspace.Id, Ct)).ShouldBeNull();
        await using var db = await _database.Factory.CreateDbContextAsync(Ct);
        (await db.People.Select(p => p.WorkspaceId).ToListAsync(Ct)).ShouldBe([keep.Workspace.Id]);
        (await db.Segments.Select(s => s.WorkspaceId).ToListAsync(Ct)).ShouldBe([keep.Workspace.Id]);
        (await db.SegmentMemberships.Select(s => s.WorkspaceId).ToListAsync(Ct)).ShouldBe([keep.Workspace.Id]);
        (await db.Activities.Select(s => s.WorkspaceId).ToListAsync(Ct)).ShouldBe([keep.Workspace.Id]);
    }

    [Fact]
    public async Task DeleteRefusesTheOnlyWorkspaceAndUnknownIds()
    {
        var only = (await _service.CreateAsync("Only", null, Ct)).Value!;

        (await _service.DeleteAsync(only.Workspace.Id, Ct)).Error!.Kind.ShouldBe(ErrorKind.Conflict);
        (await _service.DeleteAsync(9999, Ct)).Error!.Kind.ShouldBe(ErrorKind.NotFound);
        (await _service.ListAsync(Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task InvalidateMakesTheDirectoryReadNewSettings()
    {
        var created = (await _service.CreateAsync("First", null, Ct)).Value!;
        (await _directory.FindAsync(created.Workspace.Id, Ct))!.RateLimitPerSecond.ShouldBeNull();
        await using (var db = await _database.Factory.CreateDbContextAsync(Ct))
        {
            var workspace = await db.Workspaces.SingleAsync(Ct);
            workspace.Settings.RateLimitPerSecond = 7;
            await db.SaveChangesAsync(Ct);
        }

        await _directory.InvalidateAsync(created.Workspace.Id, Ct);

        (await _directory.FindAsync(created.Workspace.Id, Ct))!.RateLimitPerSecond.ShouldBe(7);
    }

    private async Task AddPersonWithSegmentAsync(int workspaceId)
    {
        await using var db = await _database.Factory.CreateDbContextAsync(Ct);
        var person = new Person { WorkspaceId = workspaceId, CioId = "p" + workspaceId };
        var segment = new Segment { WorkspaceId = workspaceId, Name = "VIP" };
        db.AddRange(person, segment);
        db.Activities.Add(new Activity { WorkspaceId = workspaceId, Type = ActivityTypes.ProfileCreate, Source = Sources.Api, CioId = person.CioId });
        await db.SaveChangesAsync(Ct);
        db.SegmentMemberships.Add(new SegmentMembership { WorkspaceId = workspaceId, SegmentId = segment.Id, PersonId = person.Id });
        await db.SaveChangesAsync(Ct);
    }
}
