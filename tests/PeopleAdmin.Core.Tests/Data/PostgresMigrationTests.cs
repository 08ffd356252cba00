using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Data;

public sealed class PostgresMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePostgresModelHasNoChangesWithoutAMigration()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);

        db.Database.HasPendingModelChanges().ShouldBeFalse(
            "run 'dotnet ef migrations add' for the model change with --project src/PeopleAdmin.Migrations.Postgres");
    }

    [Fact]
    public async Task MigratingAFreshPostgresDatabaseAppliesEveryMigrationOfItsOwnAssembly()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);

        var applied = await db.Database.GetAppliedMigrationsAsync(Ct);

        db.Database.ProviderName.ShouldBe("Npgsql.EntityFrameworkCore.PostgreSQL");
        applied.ShouldNotBeEmpty();
        applied.ShouldBe(db.Database.GetMigrations());
        (await db.Database.GetPendingMigrationsAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task EveryTextColumnComparesByteByByteAsSqliteDoes()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);

        var otherwise = await db.Database.SqlQueryRaw<string>("""
            SELECT table_name || '.' || column_name AS "Value" FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')
              AND table_name <> '__EFMigrationsHistory' AND collation_name IS DISTINCT FROM 'C'
            """).ToListAsync(Ct);
        var textColumns = await db.Database.SqlQueryRaw<int>("""
            SELECT count(*)::int AS "Value" FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'character varying') AND collation_name = 'C'
            """).SingleAsync(Ct);

        otherwise.ShouldBeEmpty();
        textColumns.ShouldBeGreaterThan(50);
    }

    [Fact]
    public async Task ATimeWithoutAKindIsStoredAsTheUtcTimeItIs()
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        var unspecified = new DateTime(2026, 12, 7, 1, 2, 3, DateTimeKind.Unspecified);
        await using (var db = await database.Factory.CreateDbContextAsync(Ct))
        {
            db.AuditEntries.Add(new PeopleAdmin.Core.Operators.AuditEntry { At = unspecified, Action = "test" });
            await db.SaveChangesAsync(Ct);
        }

        await using var read = await database.Factory.CreateDbContextAsync(Ct);
        var stored = await read.AuditEntries.SingleAsync(e => e.At == unspecified, Ct);

        stored.At.Kind.ShouldBe(DateTimeKind.Utc);
        stored.At.ShouldBe(DateTime.SpecifyKind(unspecified, DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("2026-12-07")]
    [InlineData("2026-12-07T10:30")]
    [InlineData("2026-12-07 10:30:15")]
    [InlineData("2026-12-07T10:30:15.999")]
    [InlineData("2026-12-07T10:30:15Z")]
    [InlineData("2026-12-07T10:30:15+02:00")]
    [InlineData("2026-12-07 10:30-05:30")]
    [InlineData("1969-07-20T20:17:40Z")]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("2026-12-07T25:00")]
    [InlineData("2026-12-07junk")]
    [InlineData("07/12/2026")]
    [InlineData("1765000000")]
    [InlineData("")]
    public async Task TheDateFunctionOfAudienceFiltersReadsTextAsTheFilterValuesDo(string text)
    {
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        var expected = FilterValues.TryIsoDate(text, out var seconds) ? seconds : (double?)null;

        var read = await db.Database.SqlQueryRaw<double?>("SELECT peopleadmin_unixepoch(@text) AS \"Value\"", new Npgsql.NpgsqlParameter("text", text)).SingleAsync(Ct);

        read.ShouldBe(expected);
    }

    [Fact]
    public void PostgresWithoutAConnectionStringIsRefusedSayingWhatToSet()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PeopleAdmin:Database:Provider"] = "Postgres",
        }).Build();

        var error = Should.Throw<InvalidOperationException>(() =>
            DataPaths.ConnectionString(configuration, new DatabaseOptions { Provider = DatabaseProviders.Postgres }));

        error.Message.ShouldContain("ConnectionStrings__PeopleAdmin is not set");
        error.Message.ShouldContain("Host=");
    }
}
