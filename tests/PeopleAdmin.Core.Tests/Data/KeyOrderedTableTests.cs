using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Data;

public sealed class KeyOrderedTableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryKeyOrderedTableIsAWithoutRowidTableOnSqliteAfterTheMigrations()
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        var tables = KeyOrderedTables.Tables(db.Model).ToList();

        // Act
        var definitions = await db.Database.SqlQueryRaw<string>(
            "SELECT sql AS Value FROM sqlite_master WHERE type = 'table' AND name IN (SELECT value FROM json_each({0})) ORDER BY name",
            System.Text.Json.JsonSerializer.Serialize(tables)).ToListAsync(Ct);

        // Assert: a later migration that rebuilds one of them must say WITHOUT ROWID again.
        tables.ShouldBe(["PersonAttributes", "ImportPeople"], ignoreOrder: true);
        definitions.Count.ShouldBe(2);
        definitions.ShouldAllBe(sql => sql.EndsWith("WITHOUT ROWID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoIndexOfAKeyOrderedTableRepeatsItsKeyOnSqlite()
    {
        // Arrange
        await using var database = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);

        // Act: the first three columns of every index that is not the primary key itself.
        var indexes = await db.Database.SqlQueryRaw<string>("""
            SELECT l.name || ' (' || (SELECT group_concat(name, ', ') FROM (SELECT i.name FROM pragma_index_info(l.name) AS i WHERE i.seqno < 3 ORDER BY i.seqno)) || ')' AS Value
            FROM pragma_index_list('PersonAttributes') AS l
            WHERE l.origin <> 'pk'
            """).ToListAsync(Ct);

        // Assert: the value indexes stay; the one by (workspace, person, name) went, as the table is in that order.
        indexes.ShouldBe(
            ["IX_PersonAttributes_WorkspaceId_Name_NumberValue (WorkspaceId, Name, NumberValue)", "IX_PersonAttributes_WorkspaceId_Name_TextValue (WorkspaceId, Name, TextValue)"],
            ignoreOrder: true);
    }
}
