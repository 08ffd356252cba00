using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public async Task TheModelHasNoChangesWithoutAMigration()
    {
        await using var database = await TestDatabase.CreateAsync(TestContext.Current.CancellationToken);
        await using var db = await database.Factory.CreateDbContextAsync(TestContext.Current.CancellationToken);

        db.Database.HasPendingModelChanges().ShouldBeFalse("run 'dotnet ef migrations add' for the model change");
    }

    [Fact]
    public async Task MigratingAFreshDatabaseSwitchesSqliteToWriteAheadLogging()
    {
        await using var database = await TestDatabase.CreateAsync(TestContext.Current.CancellationToken);
        await using var db = await database.Factory.CreateDbContextAsync(TestContext.Current.CancellationToken);

        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync(TestContext.Current.CancellationToken);

        mode.ShouldBe(["wal"]);
        (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ShouldNotBeEmpty();
    }

    [Fact]
    public void AProviderOtherThanSqliteIsRefusedWithTheAcceptedValues()
    {
        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();

        var error = Should.Throw<InvalidOperationException>(() =>
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions { Provider = "Oracle" }, "Data Source=x.db"));

        error.Message.ShouldContain("'Oracle'");
        error.Message.ShouldContain("Accepted values: Sqlite");
    }
}
