using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.Imports;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Imports;

/// <summary>The worker that deletes uploads which never became an import: at start, then every hour, on the app's clock.</summary>
public sealed class UploadSweeperTests : IAsyncDisposable
{
    private readonly PeopleAdminFactory _factory = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("peopleadmin-uploads").FullName;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUploadADayOldIsSweptAtStartAndOneThatTurnsADayOldIsSweptWithinTheHour()
    {
        var old = Upload(TimeSpan.FromHours(25));
        var young = Upload(TimeSpan.FromHours(23.5));
        var imports = new ImportService(
            _factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>(), _factory.Services.GetRequiredService<PeopleService>(), _clock, new ImportsOptions(), _directory);
        using var sweeper = new UploadSweeper(imports, _clock, NullLogger<UploadSweeper>.Instance);

        await sweeper.StartAsync(Ct);
        await GoneAsync(old);
        File.Exists(young).ShouldBeTrue("23.5 hours old at start");
        _clock.Advance(UploadSweeper.Interval);
        await GoneAsync(young);

        await sweeper.StopAsync(Ct);
    }

    private string Upload(TimeSpan age)
    {
        var path = Path.Combine(_directory, $"upload-{Guid.NewGuid():n}.csv");
        File.WriteAllText(path, "email\na@example.com\n");
        File.SetLastWriteTimeUtc(path, (_clock.GetUtcNow() - age).UtcDateTime);
        return path;
    }

    /// <summary>Waits for the worker's sweep, which runs beside the test; fails if the file outlives a generous bound.</summary>
    private static async Task GoneAsync(string path)
    {
        for (var wait = 0; File.Exists(path) && wait < 500; wait++)
        {
            await Task.Delay(20, Ct);
        }

        File.Exists(path).ShouldBeFalse($"{Path.GetFileName(path)} should have been swept");
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
