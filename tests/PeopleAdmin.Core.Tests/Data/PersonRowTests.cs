using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Rules;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.Data;

/// <summary>
/// One definition of a person's row: <see cref="PersonRow"/> names every column of the EF Core model, and a person
/// with every column set comes back whole through each of the store's hand-written statements (the bulk create's
/// insert, the everyday path's read and its update, the merge record's snapshot), so a column added to <see cref="Person"/> and forgotten in
/// one of them fails here.
/// </summary>
[BothStores]
public sealed class PersonRowTests
{
    private static readonly PropertyInfo[] Properties = [.. typeof(Person).GetProperties().Where(p => p.CanWrite)];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PersonRowNamesEveryColumnOfThePeopleTableAndNoOther()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var db = await database.Factory.CreateDbContextAsync(Ct);

        var model = db.Model.FindEntityType(typeof(Person))!.GetProperties().Select(p => p.GetColumnName()).ToList();

        PersonRow.Columns.ShouldBe(model, ignoreOrder: true);
        PersonRow.Columns.Distinct().Count().ShouldBe(PersonRow.Columns.Count);
    }

    [Fact]
    public void ACopyOfAPersonKeepsEveryProperty()
    {
        var person = Filled(workspaceId: 7, seed: 1);

        var copy = PersonRow.Copy(person);

        ShouldMatch(copy, person);
    }

    [Fact]
    public async Task APersonInsertedByTheBulkCreateReadsBackWithEveryColumn()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        var person = Filled(workspaceId, seed: 1);

        using (var store = WriterStores.For(database.Factory, NullLogger.Instance))
        using (var connection = await store.OpenAsync(Ct))
        {
            await using var transaction = await connection.Db.Database.BeginTransactionAsync(Ct);
            var bulk = connection.BeginBulkCreate();
            bulk.InsertPerson(person);
            bulk.Flush();
            await transaction.CommitAsync(Ct);
        }

        ShouldMatch(await ReadAsync(database, person.Id), person);
    }

    [Fact]
    public async Task TheEverydayPathReadsEveryColumnAndWritesEveryChangedOne()
    {
        await using var database = await TestDatabase.CreateAsync(Ct);
        var workspaceId = await database.AddWorkspaceAsync(Ct);
        var stored = Filled(workspaceId, seed: 1);
        await using (var db = await database.Factory.CreateDbContextAsync(Ct))
        {
            db.People.Add(stored);
            await db.SaveChangesAsync(Ct);
        }

        Person read;
        var changed = Filled(workspaceId, seed: 2);
        using (var store = WriterStores.For(database.Factory, NullLogger.Instance))
        using (var connection = await store.OpenAsync(Ct))
        {
            await using var transaction = await connection.Db.Database.BeginTransactionAsync(Ct);
            var everyday = connection.BeginEveryday();
            read = (await everyday.FindPersonByCioIdAsync(workspaceId, stored.CioId, Ct))!;
            ShouldMatch(PersonRow.Copy(read), stored);
            changed.Id = read.Id;
            foreach (var property in Properties.Where(p => p.Name != nameof(Person.Id)))
            {
                property.SetValue(read, property.GetValue(changed));
            }

            await everyday.SaveAsync(Ct);
            await transaction.CommitAsync(Ct);
        }

        ShouldMatch(await ReadAsync(database, stored.Id), changed);
    }

    [Fact]
    public void AMergeRecordsSnapshotOfAPersonRestoresEveryColumnButTheKey()
    {
        var person = Filled(workspaceId: 7, seed: 1);

        var restored = PersonSnapshot.Of(person, [], [], []).ToPerson(7, new Workspaces.WorkspaceSettings { Identifiers = Workspaces.IdentifierMode.EmailOrId });

        // Whether the email is an identifier is not kept: it follows from the workspace's mode at the undo.
        restored.EmailIsIdentifier.ShouldBe(true);
        restored.Id = person.Id;
        restored.EmailIsIdentifier = person.EmailIsIdentifier;
        ShouldMatch(restored, person);
    }

    /// <summary>A person whose every property holds a value of its own (none the default), different for each seed.</summary>
    private static Person Filled(int workspaceId, int seed)
    {
        var person = new Person { CioId = "" };
        var number = seed * 1000L;
        foreach (var property in Properties)
        {
            number++;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = property.Name switch
            {
                nameof(Person.Id) => 0L,
                nameof(Person.WorkspaceId) => workspaceId,
                _ when type == typeof(string) => $"{property.Name.ToLowerInvariant()}-{seed}",
                _ when type == typeof(long) => number,
                _ when type == typeof(bool) => seed % 2 == 1,
                _ => throw new InvalidOperationException($"Person.{property.Name} is a {type.Name}: teach this test a value for it."),
            };
            property.SetValue(person, value);
        }

        return person;
    }

    private static async Task<Person> ReadAsync(TestDatabase database, long id)
    {
        await using var db = await database.Factory.CreateDbContextAsync(Ct);
        return await db.People.AsNoTracking().SingleAsync(p => p.Id == id, Ct);
    }

    private static void ShouldMatch(Person actual, Person expected)
    {
        foreach (var property in Properties)
        {
            property.GetValue(actual).ShouldBe(property.GetValue(expected), $"Person.{property.Name}");
        }
    }
}
