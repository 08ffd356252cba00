using System.Globalization;
using System.Text.Json;
using PeopleAdmin.Core.Objects;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// The audience by object: people related to an object of a type whose attributes, and whose relationship's own
/// attributes, match conditions; and the relative dates ("bill_date within the next 30 days") those conditions use,
/// checked against a brute-force evaluation in several time zones at moments where the local day is not UTC's.
/// </summary>
[BothStores]
public sealed class ObjectAudienceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Base = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);
    private PeopleHarness _harness = null!;

    /// <summary>Each generated account's bill_date as stored (a number, or text), by its one person's cio_id.</summary>
    private readonly List<(string CioId, object? BillDate)> _billed = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _harness = await PeopleHarness.CreateAsync(Ct);
        (await _harness.RunAsync(new CreateObjectTypeOperation("Accounts"), Ct)).RecordId.ShouldBe(1);
        (await _harness.RunAsync(new CreateObjectTypeOperation("Courses"), Ct)).RecordId.ShouldBe(2);
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    public static TheoryData<string> Moments => new()
    {
        // UTC's day is the 28th; Berlin's the 29th, the night its clocks go forward.
        "2026-03-28T23:30:00Z",
        // The first second of a UTC day, when every zone west of Greenwich is still on the day before.
        "2026-03-29T00:00:00Z",
        // The last second of a UTC day, when Kiritimati (+14) is well into the day after.
        "2026-03-29T23:59:59Z",
    };

    [Theory]
    [MemberData(nameof(Moments))]
    public async Task WithinNextAndWithinLastMatchWhatABruteForceEvaluationOfCalendarDaysFindsInEveryTimeZone(string moment)
    {
        // Arrange: accounts billed every 7 hours from 42 days before to 42 days after, as unix seconds, ISO-8601 text
        // in UTC or with an offset, a bare date, or text that is no date; each related to one person.
        await AddBilledAccountsAsync();
        var now = DateTimeOffset.Parse(moment, CultureInfo.InvariantCulture);
        _harness.Clock.Set(now);
        string[] zones = ["UTC", "Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"];

        foreach (var zone in zones)
        {
            foreach (var days in new[] { 0, 1, 30 })
            {
                foreach (var op in new[] { AttributeOperator.WithinNext, AttributeOperator.WithinLast })
                {
                    var filter = new RelatedObject(1, new AttributeFilter("bill_date", op, days.ToString(CultureInfo.InvariantCulture), zone), AudienceFilter.Everyone);
                    var expected = _billed.Where(b => BruteForceWithin(b.BillDate, op, days, zone, now)).Select(b => b.CioId).ToList();

                    // Act
                    var found = await WalkAsync(filter);
                    var count = await _harness.Service.CountPeopleAsync(_harness.WorkspaceId, filter, Ct);

                    // Assert
                    var what = $"{op} {days} days in {zone} at {moment}";
                    found.ShouldBe(expected, what);
                    count.ShouldBe(expected.Count, what);
                    expected.ShouldNotBeEmpty(what);
                }
            }
        }
    }

    [Fact]
    public async Task TheBoundaryDayCountsWholeAndTheDayAfterItNotAtAll()
    {
        // Arrange: in Berlin it is 2026-03-29 00:30, so the 30th day ahead is 2026-04-28 (local), whose last second is 21:59:59 UTC.
        _harness.Clock.Set(new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero));
        var cioIds = await RelateAsync(
            ("last-second", """{"bill_date":"2026-04-28T21:59:59Z"}"""),
            ("next-day", """{"bill_date":"2026-04-28T22:00:00Z"}"""),
            ("bare-last-day", """{"bill_date":"2026-04-28"}"""),
            ("bare-day-after", """{"bill_date":"2026-04-29"}"""),
            ("earlier-today", """{"bill_date":"2026-03-28T23:00:00Z"}"""),
            ("yesterday-local", """{"bill_date":"2026-03-28T22:59:59Z"}"""));
        var filter = new RelatedObject(1, new AttributeFilter("bill_date", AttributeOperator.WithinNext, "30", "Europe/Berlin"), AudienceFilter.Everyone);

        // Act
        var found = await WalkAsync(filter);

        // Assert
        found.ShouldBe([cioIds["last-second"], cioIds["bare-last-day"], cioIds["earlier-today"]]);
    }

    [Fact]
    public async Task AnObjectConditionReadsTheObjectsAttributesAndTheRelationshipsOwnOfTheTypeNamedOnly()
    {
        // Arrange
        var acme = await _harness.IdentifyAsync("ann", """{"plan":"free"}""", Ct);
        var bob = await _harness.IdentifyAsync("bob", "{}", Ct);
        var cid = await _harness.IdentifyAsync("cid", "{}", Ct);
        var dee = await _harness.IdentifyAsync("dee", """{"plan":"pro"}""", Ct);
        await _harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "acme"), PeopleHarness.Body("""{"plan":"pro","seats":12,"id":"A-1","active":true}"""),
            [Related("ann", """{"role":"billing"}"""), Related("bob", """{"role":"member"}""")]), Ct);
        await _harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", "globex"), PeopleHarness.Body("""{"plan":"free","seats":3}"""),
            [Related("cid", """{"role":"billing"}""")]), Ct);
        await _harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("2", "course"), PeopleHarness.Body("""{"plan":"pro"}"""),
            [Related("dee", """{"role":"billing"}""")]), Ct);
        AttributeFilter Is(string name, string value) => new(name, AttributeOperator.Equals, value);

        // Act
        var proAccounts = await WalkAsync(new RelatedObject(1, Is("plan", "pro"), AudienceFilter.Everyone));
        var proBilling = await WalkAsync(new RelatedObject(1, Is("plan", "pro"), Is("role", "billing")));
        var anyBilling = await WalkAsync(new RelatedObject(1, AudienceFilter.Everyone, Is("role", "billing")));
        var bigAccounts = await WalkAsync(new RelatedObject(1, new AttributeFilter("seats", AttributeOperator.Greater, "5"), AudienceFilter.Everyone));
        var objectsId = await WalkAsync(new RelatedObject(1, Is("id", "A-1"), AudienceFilter.Everyone));
        var activeFlag = await WalkAsync(new RelatedObject(1, Is("active", "true"), AudienceFilter.Everyone));
        var notPro = await WalkAsync(new AllOf([new Not(new RelatedObject(1, Is("plan", "pro"), AudienceFilter.Everyone)), Is("plan", "free")]));
        var unknownType = await WalkAsync(new RelatedObject(9, AudienceFilter.Everyone, AudienceFilter.Everyone));

        // Assert
        proAccounts.ShouldBe([acme.CioId!, bob.CioId!]);
        proBilling.ShouldBe([acme.CioId!]);
        anyBilling.ShouldBe([acme.CioId!, cid.CioId!]);
        bigAccounts.ShouldBe([acme.CioId!, bob.CioId!]);
        objectsId.ShouldBe([acme.CioId!, bob.CioId!]);
        activeFlag.ShouldBe([acme.CioId!, bob.CioId!]);
        notPro.ShouldBeEmpty();
        unknownType.ShouldBeEmpty();
        (await _harness.Service.CountPeopleAsync(_harness.WorkspaceId, new RelatedObject(1, AudienceFilter.Everyone, Is("role", "billing")), Ct)).ShouldBe(2);
        dee.CioId.ShouldNotBeNull();
    }

    [Fact]
    public async Task TheExportAndABulkAddToASegmentTakeThePeopleAnObjectConditionMatches()
    {
        // Arrange
        _harness.Clock.Set(Base);
        var cioIds = await RelateAsync(("soon", """{"bill_date":"2026-04-10"}"""), ("later", """{"bill_date":"2026-06-10"}"""), ("soon-too", """{"bill_date":1775865600}"""));
        var filter = new RelatedObject(1, new AttributeFilter("bill_date", AttributeOperator.WithinNext, "30"), AudienceFilter.Everyone);
        var segment = (int)(await _harness.RunAsync(new CreateSegmentOperation("Billed soon", null), Ct)).RecordId!;

        // Act
        var exported = new List<string>();
        await using (var rows = await _harness.Service.OpenPeopleRowsAsync(_harness.WorkspaceId, filter, [], Ct))
        {
            while (rows.Read())
            {
                exported.Add(System.Text.Encoding.UTF8.GetString(rows.Utf8(0)));
            }
        }

        var added = await _harness.RunAsync(new BulkPeopleOperation(BulkActionKind.AddToSegment, [cioIds["soon"], cioIds["later"], cioIds["soon-too"]], segment, filter), Ct);
        var members = await WalkAsync(new InSegment(segment));

        // Assert
        exported.ShouldBe([cioIds["soon"], cioIds["soon-too"]]);
        members.ShouldBe([cioIds["soon"], cioIds["soon-too"]]);
        added.Skipped.Select(s => s.CioId).ShouldBe([cioIds["later"]]);
    }

    [Fact]
    public async Task AnObjectConditionOnAPageProbesEachPersonsRelationshipsRatherThanEveryObjectOfTheType()
    {
        Assert.SkipWhen(TestStores.Current == TestStore.Postgres, "It reads SQLite's query plan; PostgreSQL's statements are planned by its own planner.");

        // Arrange: over 1,000,000 people and 100,000 accounts, walking the accounts per person took 35 s for a page
        await RelateAsync(("acme", """{"plan":"enterprise"}"""), ("globex", """{"plan":"free"}"""));
        var filter = new RelatedObject(1, new AttributeFilter("plan", AttributeOperator.Equals, "enterprise"), AudienceFilter.Everyone);
        var (sql, parameters) = SqliteAudienceSql.Page(_harness.WorkspaceId, filter, 0, 50);

        // Act
        var plan = await _harness.QueryPlanAsync(sql, parameters, Ct);

        // Assert
        var steps = string.Join('\n', plan);
        plan.ShouldContain(step => step.StartsWith("SEARCH r USING COVERING INDEX IX_Relationships_WorkspaceId_PersonId_ObjectRowId (WorkspaceId=? AND PersonId=?)", StringComparison.Ordinal), steps);
        plan.ShouldContain(step => step.StartsWith("SEARCH o USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal), steps);
    }

    private static RelatedPersonInput Related(string id, string attributes) => new(PersonReference.ForId(id), PeopleHarness.Body(attributes));

    /// <summary>One account per person, named after them, with the attributes given; answers each name's cio_id.</summary>
    private async Task<Dictionary<string, string>> RelateAsync(params (string Name, string Attributes)[] accounts)
    {
        var cioIds = new Dictionary<string, string>();
        foreach (var (name, attributes) in accounts)
        {
            cioIds[name] = (await _harness.IdentifyAsync(name, "{}", Ct)).CioId!;
            var related = await _harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For("1", name), PeopleHarness.Body(attributes), [Related(name, "{}")]), Ct);
            related.Status.ShouldBe(OperationStatus.Applied, related.Error?.Message);
        }

        return cioIds;
    }

    private async Task AddBilledAccountsAsync()
    {
        var clock = _harness.Clock.GetUtcNow();
        for (var i = 0; i < 290; i++)
        {
            var at = Base.AddHours(-1008 + (i * 7));
            object? billDate = (i % 5) switch
            {
                0 => at.ToUnixTimeSeconds(),
                1 => at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                2 => at.ToOffset(TimeSpan.FromHours(5.5)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
                3 => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => i % 10 == 4 ? "soon" : null,
            };
            var id = "p" + i.ToString(CultureInfo.InvariantCulture);
            var person = await _harness.IdentifyAsync(id, "{}", Ct);
            var attributes = billDate is null ? "{}" : JsonSerializer.Serialize(new Dictionary<string, object?> { ["bill_date"] = billDate });
            await _harness.RunAsync(new IdentifyObjectOperation(ObjectReference.For(i % 29 == 0 ? "2" : "1", "a" + id), PeopleHarness.Body(attributes), [Related(id, "{}")]), Ct);
            if (i % 29 != 0)
            {
                _billed.Add((person.CioId!, billDate));
            }
        }

        _harness.Clock.Set(clock);
    }

    /// <summary>The condition as a person reads a calendar: the local day of the date, between today and today plus (or minus) the days.</summary>
    private static bool BruteForceWithin(object? billDate, AttributeOperator op, int days, string zone, DateTimeOffset now)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        DateOnly day;
        switch (billDate)
        {
            case long seconds:
                day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(seconds), tz).DateTime);
                break;
            case string text when text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var bare):
                day = bare;
                break;
            case string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment):
                day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, tz).DateTime);
                break;
            default:
                return false;
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, tz).DateTime);
        return op == AttributeOperator.WithinNext
            ? day >= today && day <= today.AddDays(days)
            : day >= today.AddDays(-days) && day <= today;
    }

    private async Task<List<string>> WalkAsync(AudienceFilter filter)
    {
        var found = new List<string>();
        long? after = null;
        do
        {
            var page = await _harness.Service.FilterPeopleAsync(_harness.WorkspaceId, filter, after, 40, Ct);
            found.AddRange(page.People.Select(p => p.CioId));
            after = page.After;
        }
        while (after is not null);

        return found;
    }
}

/// <summary>The object condition and the relative dates in the audience filter's JSON, as the App API and the People page's URL carry them.</summary>
public sealed class ObjectAudienceJsonTests
{
    [Fact]
    public void AnObjectConditionWithARelativeDateReadsFromJsonAndWritesBackTheSame()
    {
        // Arrange
        const string json = """{"object":{"object_type_id":"1","object_filter":{"attribute":{"field":"bill_date","operator":"within_next","value":"30","time_zone":"Europe/Berlin"}},"relationship_filter":{"and":[]}}}""";

        // Act
        var read = AudienceFilterJson.TryParse(json, out var filter, out var error);

        // Assert
        read.ShouldBeTrue(error?.ToString());
        var related = filter.ShouldBeOfType<RelatedObject>();
        related.ObjectTypeId.ShouldBe(1);
        related.Object.ShouldBe(new AttributeFilter("bill_date", AttributeOperator.WithinNext, "30", "Europe/Berlin"));
        related.Relationship.ShouldBeOfType<AllOf>().Filters.ShouldBeEmpty();
        AudienceFilterJson.Write(filter).ShouldBe(json);
    }

    public static TheoryData<string, string, string> Unreadable => new()
    {
        { """{"object":{"object_filter":{"and":[]}}}""", "filter.object", "must be an object with object_type_id" },
        { """{"object":{"object_type_id":"0"}}""", "filter.object.object_type_id", "a whole number from 1" },
        { """{"object":{"object_type_id":1,"where":{}}}""", "filter.object.where", "is not a field of an object condition" },
        { """{"object":{"object_type_id":1,"object_filter":{"segment":{"id":3}}}}""", "filter.object.object_filter", "holds and, or, not and attribute only" },
        { """{"object":{"object_type_id":1,"relationship_filter":{"or":[{"object":{"object_type_id":2}}]}}}""", "filter.object.relationship_filter.or[0]", "holds and, or, not and attribute only" },
        { """{"attribute":{"field":"bill_date","operator":"within_next","value":"soon"}}""", "filter.attribute.value", "is not a whole number from 0 to 36500" },
        { """{"attribute":{"field":"bill_date","operator":"within_last","value":"-3"}}""", "filter.attribute.value", "is not a whole number from 0 to 36500" },
        { """{"attribute":{"field":"bill_date","operator":"within_next","value":"30","time_zone":"Mars/Base"}}""", "filter.attribute.time_zone", "is not an IANA time zone name" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void AFilterThatCannotBeReadSaysWhereAndWhy(string json, string field, string message)
    {
        // Act
        var read = AudienceFilterJson.TryParse(json, out _, out var error);

        // Assert
        read.ShouldBeFalse();
        error!.Field.ShouldBe(field);
        error.Message.ShouldContain(message);
    }
}
