using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Tests.People;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Data;

/// <summary>
/// What Citus needs before it can distribute the people store by workspace, read from the migrated database's own
/// catalog (docs/scaling.md): every primary key and unique index of a distributed table holds the distribution column,
/// and every foreign key between two distributed tables joins on it. Citus itself is not installable here.
/// </summary>
public sealed class DistributionKeyTests
{
    /// <summary>The people store, distributed by WorkspaceId and co-located (docs/scaling.md lists the same tables).</summary>
    public static readonly string[] Distributed =
    [
        "People", "PersonAttributes", "Suppressions", "Activities", "Devices", "Segments", "SegmentMemberships",
        "MergeRecords", "ObjectTypes", "Objects", "Relationships", "Forms", "FormFields", "ImportPeople",
    ];

    /// <summary>
    /// Tables of a workspace's settings and jobs, and the operators and their audit log (which span workspaces), replicated to every node
    /// (Citus reference tables).
    /// </summary>
    public static readonly string[] Reference =
    [
        "Workspaces", "AspNetUsers", "AuditEntries", "SettingsChanges", "Imports", "ImportProblems", "Exports", "ActionRules", "ActionRuleRuns",
        "LeadAdConnections", "LeadAdPages", "ReceivedLeads", "SyncConnections", "Syncs", "SyncRuns",
    ];

    private static readonly Dictionary<string, AttributeValue> NoAttributes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryPrimaryKeyAndUniqueIndexOfThePeopleStoreLeadsWithTheWorkspaceOnPostgres()
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);

        // Act
        var keys = await db.Database.SqlQueryRaw<string>("""
            SELECT t.relname || '.' || i.relname || ' (' || a.attname || ')' AS "Value"
            FROM pg_index x
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
            WHERE (x.indisunique OR x.indisprimary) AND t.relname = ANY({0})
            """, [Distributed]).ToListAsync(Ct);

        // Assert
        keys.Count.ShouldBeGreaterThanOrEqualTo(Distributed.Length);
        keys.Where(k => !k.EndsWith("(WorkspaceId)", StringComparison.Ordinal)).ShouldBeEmpty();
        keys.ShouldContain("People.PK_People (WorkspaceId)");
    }

    [Fact]
    public async Task EveryForeignKeyBetweenPeopleStoreTablesJoinsOnTheWorkspaceOnPostgres()
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);

        // Act: each foreign key with the column pairs it joins on, WorkspaceId = WorkspaceId among them or not.
        var foreignKeys = await db.Database.SqlQueryRaw<ForeignKey>("""
            SELECT c.conname AS "Name", c.conrelid::regclass::text AS "From", c.confrelid::regclass::text AS "To",
                EXISTS (
                    SELECT 1 FROM unnest(c.conkey, c.confkey) AS k(child, parent)
                    JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child
                    JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent
                    WHERE ca.attname = 'WorkspaceId' AND pa.attname = 'WorkspaceId') AS "OnWorkspace"
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
            """).ToListAsync(Ct);

        // Assert
        var between = foreignKeys.Where(f => Distributed.Contains(f.From.Trim('"')) && Distributed.Contains(f.To.Trim('"'))).ToList();
        between.Count.ShouldBeGreaterThanOrEqualTo(9);
        between.Where(f => !f.OnWorkspace).Select(f => f.Name).ShouldBeEmpty();
        foreignKeys.Where(f => Reference.Contains(f.From.Trim('"')) && Distributed.Contains(f.To.Trim('"'))).Select(f => f.Name)
            .ShouldBeEmpty("Citus refuses a foreign key from a reference table to a distributed one");
    }

    [Fact]
    public async Task EveryTableThatHoldsAWorkspaceIsEitherDistributedOrAReferenceTable()
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(TestStore.Postgres, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);

        // Act
        var tables = await db.Database.SqlQueryRaw<string>("""
            SELECT table_name AS "Value" FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name = 'WorkspaceId'
            """).ToListAsync(Ct);

        // Assert: a new table of a workspace's data is placed on purpose, here and in docs/scaling.md.
        tables.Except(Distributed).Except(Reference).ShouldBeEmpty();
        Distributed.Except(tables).ShouldBeEmpty();
    }

    [Fact]
    public async Task EveryUniqueKeyAndForeignKeyOfThePeopleStoreHoldsTheWorkspaceOnSqlite()
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);

        // Act: SQLite keeps Id as the rowid, its own key; every other unique index and every foreign key is read.
        var uniques = await db.Database.SqlQueryRaw<string>("""
            SELECT m.name || '.' || l.name || ' (' || (SELECT i.name FROM pragma_index_info(l.name) AS i WHERE i.seqno = 0) || ')' AS Value
            FROM sqlite_master AS m, pragma_index_list(m.name) AS l
            WHERE m.type = 'table' AND l."unique" = 1 AND m.name IN (SELECT value FROM json_each({0}))
            """, System.Text.Json.JsonSerializer.Serialize(Distributed)).ToListAsync(Ct);
        var foreignKeys = await db.Database.SqlQueryRaw<string>("""
            SELECT m.name || ' -> ' || f."table" || ' (' || group_concat(f."from", ', ') || ')' AS Value
            FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' AND m.name IN (SELECT value FROM json_each({0})) AND f."table" <> 'Workspaces'
            GROUP BY m.name, f.id
            """, System.Text.Json.JsonSerializer.Serialize(Distributed)).ToListAsync(Ct);

        // Assert
        uniques.Where(u => !u.EndsWith("(WorkspaceId)", StringComparison.Ordinal)).ShouldBeEmpty();
        uniques.ShouldContain("People.AK_People_WorkspaceId_Id (WorkspaceId)");
        foreignKeys.Count.ShouldBeGreaterThanOrEqualTo(9);
        foreignKeys.Where(f => !f.Contains("(WorkspaceId, ", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task UpgradingASqliteDatabaseWithPeopleKeepsEveryRowAndEveryLink()
    {
        // Arrange: a database as the release before the workspace-leading keys left it, with people in every table, written
        // as that release's schema holds them (today's code writes today's columns).
        await using var harness = await PeopleHarness.CreateAsync(TestStore.Sqlite, Ct);
        await using (var db = await harness.Database.Factory.CreateDbContextAsync(Ct))
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeTheKeys, cancellationToken: Ct);
            await db.Database.ExecuteSqlRawAsync(ReleaseBeforeTheKeys, harness.WorkspaceId);
        }

        var before = await RowCountsAsync(harness);

        // Act
        await DatabaseMigrator.MigrateAsync(harness.Database.Factory, Ct);

        // Assert: the rows, their links, and the rules on them.
        (await RowCountsAsync(harness)).ShouldBe(before);
        before.Values.ShouldAllBe(count => count > 0);
        await using (var db = await harness.Database.Factory.CreateDbContextAsync(Ct))
        {
            (await db.Database.SqlQueryRaw<string>("SELECT \"table\" AS Value FROM pragma_foreign_key_check").ToListAsync(Ct)).ShouldBeEmpty();
            (await db.Database.GetPendingMigrationsAsync(Ct)).ShouldBeEmpty();
        }

        var b = await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForId("b"), Ct);
        (await harness.Service.GetPersonAsync(harness.WorkspaceId, PersonReference.ForEmail("A@x.com"), Ct))!.Id.ShouldBe("a");
        await harness.IdentifyAsync("c", """{"email":"b@x.com"}""", Ct);
        (await harness.PeopleAsync(Ct)).Where(p => p.EmailNormalized == "b@x.com").Select(p => p.ExternalId).ShouldBe(["b"]);
        b!.Attributes.Select(a => a.Name).ShouldBe(["city", "plan"], ignoreOrder: true);
        (await harness.Service.GetPersonSegmentsAsync(harness.WorkspaceId, PersonReference.ForId("b"), Ct))!.Select(s => s.Name).ShouldBe(["vip"]);
        (await harness.RunAsync(new MergeOperation(PersonReference.ForId("a"), PersonReference.ForId("b")), Ct)).Status.ShouldBe(OperationStatus.Applied);
    }

    /// <summary>The migration before <c>WorkspaceLeadingKeys</c>.</summary>
    private const string BeforeTheKeys = "20261207034233_BackgroundLease";

    /// <summary>
    /// Two people of workspace {0} with emails that identify them (that release's EmailUniqueKey), attributes, entries, a
    /// segment, a device and an object, in that release's columns.
    /// </summary>
    private const string ReleaseBeforeTheKeys = """
        INSERT INTO People (Id, WorkspaceId, CioId, ExternalId, Email, EmailNormalized, EmailUniqueKey, FirstSeenMs, CreatedAt, UpdatedMs, Unsubscribed)
        VALUES (1, {0}, '1', 'a', 'a@x.com', 'a@x.com', 'a@x.com', 1000, 1, 1000, 0), (2, {0}, '2', 'b', 'b@x.com', 'b@x.com', 'b@x.com', 2000, 2, 2000, 0);
        UPDATE Workspaces SET NextCioNumber = 3 WHERE Id = {0};
        INSERT INTO PersonAttributes (PersonId, Name, WorkspaceId, Type, TextValue, SetMs)
        VALUES (1, 'plan', {0}, 1, 'pro', 1000), (2, 'plan', {0}, 1, 'free', 2000), (2, 'city', {0}, 1, 'Oslo', 2000);
        INSERT INTO Activities (WorkspaceId, PersonId, CioId, Type, Source, AtMs) VALUES ({0}, 1, '1', 'profile_create', 'api', 1000), ({0}, 2, '2', 'profile_create', 'api', 2000);
        INSERT INTO Segments (Id, WorkspaceId, Name, CreatedMs) VALUES (1, {0}, 'vip', 3000);
        INSERT INTO SegmentMemberships (SegmentId, PersonId, WorkspaceId, AddedMs) VALUES (1, 2, {0}, 3000);
        INSERT INTO Devices (WorkspaceId, PersonId, Token, Platform, UpdatedMs) VALUES ({0}, 2, 'token-b', 'ios', 4000);
        INSERT INTO ObjectTypes (Id, WorkspaceId, TypeId, Name, CreatedMs) VALUES (1, {0}, 1, 'Accounts', 5000);
        INSERT INTO Objects (Id, WorkspaceId, ObjectTypeRowId, ObjectId, CioObjectId, Attributes, CreatedMs, UpdatedMs) VALUES (1, {0}, 1, 'acme', 'ob0000000000000001', '{{}}', 5000, 5000);
        INSERT INTO Relationships (ObjectRowId, PersonId, WorkspaceId, Attributes, CreatedMs, UpdatedMs) VALUES (1, 2, {0}, '{{}}', 6000, 6000);
        """;

    private static async Task<Dictionary<string, long>> RowCountsAsync(PeopleHarness harness)
    {
        await using var db = await harness.Database.Factory.CreateDbContextAsync(Ct);
        // One row of counts, in a fixed order: the table names are the test's own, not input.
        var counts = await db.Database.SqlQueryRaw<long>("""
            SELECT count(*) AS Value FROM People UNION ALL SELECT count(*) FROM PersonAttributes UNION ALL SELECT count(*) FROM Activities
            UNION ALL SELECT count(*) FROM Devices UNION ALL SELECT count(*) FROM Segments UNION ALL SELECT count(*) FROM SegmentMemberships
            UNION ALL SELECT count(*) FROM ObjectTypes UNION ALL SELECT count(*) FROM Objects UNION ALL SELECT count(*) FROM Relationships
            """).ToListAsync(Ct);
        string[] tables = ["People", "PersonAttributes", "Activities", "Devices", "Segments", "SegmentMemberships", "ObjectTypes", "Objects", "Relationships"];
        return tables.Zip(counts).ToDictionary(pair => pair.First, pair => pair.Second);
    }

    public sealed record ForeignKey(string Name, string From, string To, bool OnWorkspace);
}
