using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Benchmarks.StorageLayout;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.Tests.Data;
using PeopleAdmin.Core.Tests.Imports;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.StorageLayout;

/// <summary>
/// The storage-layout benchmark compares like with like: the same people imported by the app's engine into today's
/// attribute rows and written by the benchmark's fill into one JSON document each answer every filter it times with
/// the same first page and the same count, and its fill writes the rows the engine writes. SQLite only, as the
/// measurement is.
/// </summary>
public sealed class StorageLayoutTests : IAsyncLifetime
{
    private const int People = 600;
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 10, 0, 0, TimeSpan.Zero);

    private ImportHarness _engine = null!;
    private TestDatabase _json = null!;
    private PeopleAdminDbContext _rowsDb = null!;
    private PeopleAdminDbContext _jsonDb = null!;
    private int _jsonWorkspace;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SqliteConnection Rows => (SqliteConnection)_rowsDb.Database.GetDbConnection();

    private SqliteConnection Json => (SqliteConnection)_jsonDb.Database.GetDbConnection();

    public async ValueTask InitializeAsync()
    {
        var csv = new StringBuilder(LayoutPeople.Header).Append('\n');
        for (var n = 1; n <= People; n++)
        {
            csv.Append(LayoutPeople.Row(n)).Append('\n');
        }

        var file = Path.Combine(Path.GetTempPath(), $"storage-layout-{Guid.NewGuid():n}.csv");
        await File.WriteAllTextAsync(file, csv.ToString(), Ct);
        _engine = await ImportHarness.CreateAsync(Ct, batchRows: 50, parallelWorkspaces: 1);
        (await _engine.ImportAsync(csv.ToString(), """{"identifier": "id"}""", Ct)).RowsCreated.ShouldBe(People);
        _rowsDb = await _engine.People.ContextAsync(Ct);
        await _rowsDb.Database.OpenConnectionAsync(Ct);
        StorageLayoutMeasurement.AddSegment(Rows, _engine.People.WorkspaceId, 20);

        _json = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspace = await StorageLayoutMeasurement.CreateAsync(_json.Factory, Layout.Json);
        _jsonWorkspace = workspace.Id;
        _jsonDb = await _json.Factory.CreateDbContextAsync(Ct);
        await _jsonDb.Database.OpenConnectionAsync(Ct);
        using (var fill = new LayoutFill(Json, Layout.Json, workspace))
        {
            fill.Fill(file, 50).ShouldBe(People);
        }

        StorageLayoutMeasurement.AddSegment(Json, _jsonWorkspace, 20);
        File.Delete(file);
    }

    public async ValueTask DisposeAsync()
    {
        await _rowsDb.DisposeAsync();
        await _jsonDb.DisposeAsync();
        await _engine.DisposeAsync();
        await _json.DisposeAsync();
    }

    /// <summary>Every filter the benchmark times, then edge cases of the text and number forms that a JSON document could get wrong.</summary>
    public static TheoryData<int> FilterIndexes => new(Enumerable.Range(0, Filters(1).Count));

    private static List<(string Name, AudienceFilter Filter)> Filters(int segment) =>
    [
        .. StorageLayoutMeasurement.Filters(segment),
        ("a number equals its text as sent, trailing zero kept", new AttributeFilter("lifetime_value", AttributeOperator.Equals, "1.30")),
        ("a number does not equal text", new AttributeFilter("age", AttributeOperator.NotEquals, "30")),
        ("a number contains its digits", new AttributeFilter("lifetime_value", AttributeOperator.Contains, ".3")),
        ("a date in text compares as a date", new AttributeFilter("renews_on", AttributeOperator.Greater, "2026-01-01")),
        ("text compares as text", new AttributeFilter("first_name", AttributeOperator.Less, "C")),
        ("a range of an indexed number in a date", new AttributeFilter("age", AttributeOperator.After, "1970-01-01T00:00:40Z")),
        ("none of an any-of of equals", new Not(new AnyOf([new AttributeFilter("plan", AttributeOperator.Equals, "pro"), new AttributeFilter("country", AttributeOperator.Equals, "DE")]))),
        ("an unknown attribute does not equal", new AttributeFilter("missing", AttributeOperator.NotEquals, "x")),
        ("a newsletter that reads true", new AttributeFilter("newsletter", AttributeOperator.Equals, "true")),
    ];

    [Theory]
    [MemberData(nameof(FilterIndexes))]
    public void BothLayoutsAnswerTheSamePeopleForTheFilter(int index)
    {
        // Arrange
        var rowsFilter = Filters(Segment(Rows))[index];
        var jsonFilter = Filters(Segment(Json))[index];

        // Act
        var rowsPage = ExternalIds(Rows, StorageLayoutMeasurement.Page(Rows, Layout.Rows, _engine.People.WorkspaceId, rowsFilter.Filter, Now, People));
        var jsonPage = ExternalIds(Json, StorageLayoutMeasurement.Page(Json, Layout.Json, _jsonWorkspace, jsonFilter.Filter, Now, People));
        var rowsCount = StorageLayoutMeasurement.Count(Rows, Layout.Rows, _engine.People.WorkspaceId, rowsFilter.Filter, Now);
        var jsonCount = StorageLayoutMeasurement.Count(Json, Layout.Json, _jsonWorkspace, jsonFilter.Filter, Now);

        // Assert
        jsonPage.ShouldBe(rowsPage, rowsFilter.Name);
        jsonCount.ShouldBe(rowsCount, rowsFilter.Name);
        rowsCount.ShouldBe(rowsPage.Count, rowsFilter.Name);
    }

    [Fact]
    public void OnlyTheFiltersMeantToFindNobodyMatchNobody()
    {
        // Arrange
        var filters = Filters(Segment(Rows));

        // Act
        var empty = filters.Where(f => StorageLayoutMeasurement.Count(Rows, Layout.Rows, _engine.People.WorkspaceId, f.Filter, Now) == 0).Select(f => f.Name);

        // Assert: the 600 people's company numbers and lifetime values stay below the million's, which these two seek.
        empty.ShouldBe([
            "company contains \"Company 4242,\"", "lifetime_value greater than 990", "email contains nobody (a person field)", "an unknown attribute does not equal"]);
    }

    [Fact]
    public async Task TheFillWritesThePeopleAndAttributesTheImportEngineWrites()
    {
        // Arrange
        await using var rows = await TestDatabase.CreateAsync(TestStore.Sqlite, Ct);
        var workspace = await StorageLayoutMeasurement.CreateAsync(rows.Factory, Layout.Rows);
        var file = Path.Combine(rows.Directory, "people.csv");
        LayoutPeople.WriteFile(file, People);
        await using var db = await rows.Factory.CreateDbContextAsync(Ct);
        await db.Database.OpenConnectionAsync(Ct);

        // Act
        using (var fill = new LayoutFill((SqliteConnection)db.Database.GetDbConnection(), Layout.Rows, workspace))
        {
            fill.Fill(file, 50);
        }

        // Assert
        (await Attributes(db, workspace.Id)).ShouldBe(await Attributes(_rowsDb, _engine.People.WorkspaceId));
        (await db.People.Where(p => p.WorkspaceId == workspace.Id).OrderBy(p => p.Id).Select(p => p.ExternalId + " " + p.Email + " " + p.EmailIsIdentifier + " " + p.CioId).ToListAsync(Ct))
            .ShouldBe(await _rowsDb.People.Where(p => p.WorkspaceId == _engine.People.WorkspaceId).OrderBy(p => p.Id).Select(p => p.ExternalId + " " + p.Email + " " + p.EmailIsIdentifier + " " + p.CioId).ToListAsync(Ct));
        (await db.Activities.CountAsync(a => a.WorkspaceId == workspace.Id, Ct)).ShouldBe(2 * People);
    }

    [Theory]
    [InlineData("plan", "IX_People_Json_Text_plan")]
    [InlineData("country", "IX_People_Json_Text_country")]
    public void AnEqualsOnAnIndexedAttributeSeeksItsExpressionIndex(string name, string index)
    {
        // Arrange
        var (sql, parameters) = JsonAudienceSql.Page(_jsonWorkspace, new AttributeFilter(name, AttributeOperator.Equals, "x"), 0, 50);
        using var command = Json.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddRange(parameters.Select(p => new SqliteParameter(p.ParameterName, p.Value)));

        // Act
        var plan = new StringBuilder();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.AppendLine(reader.GetString(3));
            }
        }

        // Assert
        plan.ToString().ShouldContain(index);
    }

    [Fact]
    public void APathRefusesANameThatItsQuotesCannotHold()
    {
        // Act
        var refused = Should.Throw<ArgumentException>(() => JsonLayout.Path("say \"hi\""));

        // Assert
        refused.Message.ShouldContain("say \"hi\"");
        JsonLayout.Path("it's").ShouldBe("'$.\"it''s\"'");
    }

    private static int Segment(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Segments WHERE Name = 'Every 20th'";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<string> ExternalIds(SqliteConnection connection, List<long> keys)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ExternalId FROM People WHERE Id IN ({string.Join(", ", keys)}) ORDER BY Id";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static Task<List<string>> Attributes(PeopleAdminDbContext db, int workspaceId) =>
        db.PersonAttributes.Where(a => a.WorkspaceId == workspaceId)
            .Join(db.People, a => a.PersonId, p => p.Id, (a, p) => new { p.ExternalId, a.Name, a.Type, a.TextValue, a.NumberValue })
            .OrderBy(a => a.ExternalId).ThenBy(a => a.Name)
            .Select(a => a.ExternalId + " " + a.Name + " " + a.Type + " " + a.TextValue + " " + a.NumberValue)
            .ToListAsync(Ct);
}
