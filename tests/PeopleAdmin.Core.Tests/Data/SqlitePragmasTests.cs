using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.Tests.Data;

/// <summary>The pragmas every SQLite connection of the app opens with.</summary>
public sealed class SqlitePragmasTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, -16 * 1024)]
    [InlineData(64, -64 * 1024)]
    public async Task EachConnectionGetsThePageCacheOfTheSettingSixteenMegabytesByDefault(int? megabytes, long expectedPragma)
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("peopleadmin-tests-");
        var settings = new DatabaseOptions();
        if (megabytes is { } configured)
        {
            settings.SqliteCacheMegabytes = configured;
        }

        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        DataServiceCollectionExtensions.Configure(options, settings, $"Data Source={Path.Combine(directory.FullName, "test.db")}");
        try
        {
            await using var db = new PeopleAdminDbContext(options.Options);

            // Act
            await db.Database.OpenConnectionAsync(Ct);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA cache_size";
            var cacheSize = (long)(await command.ExecuteScalarAsync(Ct))!;

            // Assert
            cacheSize.ShouldBe(expectedPragma, "a negative cache_size is SQLite's size in KiB");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
