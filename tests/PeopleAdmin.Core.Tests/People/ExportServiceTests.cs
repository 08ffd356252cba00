using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Exports;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>Exports write the matching people to a CSV file with the columns asked for, and survive a restart.</summary>
[BothStores]
public sealed class ExportServiceTests : IAsyncLifetime
{
    private PeopleHarness _harness = null!;
    private string _directory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _harness = await PeopleHarness.CreateAsync(Ct);
        _directory = Path.Combine(Path.GetTempPath(), "peopleadmin-export-tests", Guid.NewGuid().ToString("n"));
        await _harness.IdentifyAsync("p1", """{"email":"a@example.com","plan":"pro"}""", Ct);
        await _harness.IdentifyAsync("p2", """{"plan":"free"}""", Ct);
        await _harness.IdentifyAsync("b@example.com", """{"plan":"pro","city":"Lyon, France"}""", Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private ExportService Service() => new(_harness.Database.Factory, _harness.Service, TimeProvider.System, _directory);

    [Fact]
    public async Task AnExportWithWarehouseNamesWritesTheMatchingPeopleAndRecordsItsTotal()
    {
        // Arrange
        var exports = Service();
        var filter = new AttributeFilter("plan", AttributeOperator.Equals, "pro");

        // Act
        var export = await exports.CreateAsync(_harness.WorkspaceId, new ExportRequest(filter, ["city", "plan"], true, "tester"), Ct);
        await exports.RunAsync(export!.Id, Ct);
        var done = await exports.GetAsync(_harness.WorkspaceId, export.Id, Ct);
        var lines = await File.ReadAllLinesAsync(exports.FileOf(export.Id), Ct);

        // Assert
        done!.Status.ShouldBe(ExportStatus.Done);
        done.Total.ShouldBe(2);
        done.Written.ShouldBe(2);
        lines[0].ShouldBe("internal_customer_id,external_customer_id,email,city,plan");
        lines[1].ShouldEndWith(",p1,a@example.com,,pro");
        lines[2].ShouldEndWith(",,b@example.com,\"Lyon, France\",pro");
        lines.Length.ShouldBe(3);
        File.Exists(exports.FileOf(export.Id) + ".partial").ShouldBeFalse();
    }

    [Fact]
    public async Task TextStoredAsBrokenUtf8IsExportedWithReplacementCharacters()
    {
        Assert.SkipWhen(TestStores.Current == TestStore.Postgres, "Only SQLite can hold text that is not UTF-8; PostgreSQL refuses it on the way in.");

        // Arrange: what an older version may have stored for a lone surrogate
        await using (var db = await _harness.ContextAsync(Ct))
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE PersonAttributes SET TextValue = CAST(x'4C796F6EED' AS TEXT) WHERE Name = 'city'", Ct);
        }

        var exports = Service();
        var filter = new AttributeFilter("city", AttributeOperator.Exists);

        // Act
        var export = await exports.CreateAsync(_harness.WorkspaceId, new ExportRequest(filter, ["city"], false, "tester"), Ct);
        await exports.RunAsync(export!.Id, Ct);
        var bytes = await File.ReadAllBytesAsync(exports.FileOf(export.Id), Ct);

        // Assert
        System.Text.Unicode.Utf8.IsValid(bytes).ShouldBeTrue();
        System.Text.Encoding.UTF8.GetString(bytes).ShouldEndWith(",,b@example.com,Lyon\uFFFD\n");
    }

    [Fact]
    public async Task AtStartAnExportLeftRunningFailsAndAPendingOneIsQueuedAgain()
    {
        // Arrange
        var before = Service();
        var running = await before.CreateAsync(_harness.WorkspaceId, new ExportRequest(AudienceFilter.Everyone, [], false, "tester"), Ct);
        var pending = await before.CreateAsync(_harness.WorkspaceId, new ExportRequest(AudienceFilter.Everyone, [], false, "tester"), Ct);
        await using (var db = await _harness.ContextAsync(Ct))
        {
            await db.Exports.Where(e => e.Id == running!.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExportStatus.Running), Ct);
        }

        // Act: a new process's service
        var after = Service();
        await after.RecoverAsync(Ct);
        after.Queue.TryRead(out var queued).ShouldBeTrue();

        // Assert
        queued.ShouldBe(pending!.Id);
        after.Queue.TryRead(out _).ShouldBeFalse();
        var failed = await after.GetAsync(_harness.WorkspaceId, running!.Id, Ct);
        failed!.Status.ShouldBe(ExportStatus.Failed);
        failed.Error.ShouldNotBeNull().ShouldContain("stopped");
    }
}
