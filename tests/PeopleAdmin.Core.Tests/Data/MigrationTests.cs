using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public async Task TheModelHasNoChangesWithoutAMigration()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, TestContext.Current.CancellationToken);
        await using var db = await database.Factory.CreateDbContextAsync(TestContext.Current.CancellationToken);

        db.Database.HasPendingModelChanges().ShouldBeFalse("run 'dotnet ef migrations add' for the model change");
    }

    [Fact]
    public async Task MigratingAFreshDatabaseSwitchesSqliteToWriteAheadLogging()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, TestContext.Current.CancellationToken);
        await using var db = await database.Factory.CreateDbContextAsync(TestContext.Current.CancellationToken);

        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync(TestContext.Current.CancellationToken);

        mode.ShouldBe(["wal"]);
        (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task TheNumberIndexOfAttributesHoldsNumbersOnlyAndStillServesGreaterAndLess()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, ct);
        await using var db = await database.Factory.CreateDbContextAsync(ct);

        var index = await db.Database.SqlQueryRaw<string>(
            "SELECT sql AS Value FROM sqlite_master WHERE name = 'IX_PersonAttributes_WorkspaceId_Name_NumberValue'").SingleAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var explain = db.Database.GetDbConnection().CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN SELECT PersonId FROM PersonAttributes WHERE WorkspaceId = 1 AND Name = 'age' AND NumberValue > 30";
        await using var reader = await explain.ExecuteReaderAsync(ct);
        var plan = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            plan.Add(reader.GetString(3));
        }

        index.ShouldEndWith("WHERE \"NumberValue\" IS NOT NULL");
        plan.ShouldContain(p => p.Contains("IX_PersonAttributes_WorkspaceId_Name_NumberValue", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownProviderIsRefusedWithTheAcceptedValues()
    {
        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();

        var error = Should.Throw<InvalidOperationException>(() =>
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions { Provider = "Oracle" }, "Data Source=x.db"));

        error.Message.ShouldContain("'Oracle'");
        error.Message.ShouldContain("Accepted values: Sqlite, Postgres");
    }
}
