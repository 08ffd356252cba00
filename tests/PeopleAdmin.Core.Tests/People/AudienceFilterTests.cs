using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// Every audience filter answers exactly what a brute-force evaluation of the same filter over the same generated
/// people answers: pages walked to the end and the count, for every operator alone and for random nested groups.
/// </summary>
[BothStores]
public sealed class AudienceFilterTests : IAsyncLifetime
{
    private const int People = 160;
    private static readonly string[] Plans = ["free", "basic", "pro", "Pro", "enterprise"];
    private PeopleHarness _harness = null!;
    private List<Known> _people = [];
    private int _segment;
    private int _otherWorkspaceSegment;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A generated person as the evaluation sees them: own fields, attributes as (text, number), segments.</summary>
    private sealed record Known(long Key, string CioId, string? Id, string? Email, long CreatedAt, Dictionary<string, (string Text, double? Number)> Attributes, bool InSegment);

    public async ValueTask InitializeAsync()
    {
        _harness = await PeopleHarness.CreateAsync(Ct);
        var random = new Random(23);
        _segment = (int)(await _harness.RunAsync(new CreateSegmentOperation("Lyon", null), Ct)).RecordId!;
        var members = new List<PersonReference>();
        for (var i = 0; i < People; i++)
        {
            var body = new Dictionary<string, object?>();
            if (random.Next(5) > 0)
            {
                body["email"] = $"person{i}@{(random.Next(2) == 0 ? "acme" : "ACME-corp")}.example";
            }

            Maybe(random, body, "plan", () => Plans[random.Next(Plans.Length)]);
            // age: mostly numbers, sometimes text that reads as one and text that does not.
            Maybe(random, body, "age", () => random.Next(4) switch { 0 => "old", 1 => random.Next(18, 80).ToString(CultureInfo.InvariantCulture), _ => random.Next(18, 80) });
            Maybe(random, body, "renews", () => random.Next(3) switch
            {
                0 => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(random.Next(-400, 400)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                1 => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(random.Next(-9_000, 9_000)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                _ => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(-400, 400)).ToUnixTimeSeconds(),
            });
            // score: numbers only, so that a count may read its ranges off the number index.
            Maybe(random, body, "score", () => random.Next(0, 100));
            Maybe(random, body, "vip", () => random.Next(2) == 0);
            Maybe(random, body, "tags", () => random.Next(3) switch
            {
                0 => new[] { "a", "b" },
                1 => new Dictionary<string, object> { ["city"] = "Paris" },
                _ => Array.Empty<string>(),
            });
            body["created_at"] = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(0, 700)).ToUnixTimeSeconds();
            var id = random.Next(6) == 0 ? null : "u" + i.ToString(CultureInfo.InvariantCulture);
            if (id is null && !body.ContainsKey("email"))
            {
                id = "u" + i.ToString(CultureInfo.InvariantCulture);
            }

            var reference = id is not null ? PersonReference.ForId(id) : PersonReference.ForEmail((string)body["email"]!);
            var result = await _harness.RunAsync(new IdentifyOperation(reference, PeopleHarness.Body(JsonSerializer.Serialize(body))), Ct);
            result.CioId.ShouldNotBeNull();
            if (random.Next(3) == 0)
            {
                members.Add(PersonReference.ForCioId(result.CioId));
            }
        }

        await _harness.RunAsync(new AddToSegmentOperation(_segment, members), Ct);

        // Another workspace's people match every filter and its segment has members: none of them may show.
        var other = new OperationContext(await _harness.Database.AddWorkspaceAsync(Ct), Sources.Api);
        await _harness.Service.ExecuteAsync(other, new IdentifyOperation(PersonReference.ForId("q1"), PeopleHarness.Body("""{"plan":"pro","age":41,"email":"q@acme.example","renews":"2026-01-01","vip":true}""")), Ct);
        _otherWorkspaceSegment = (int)(await _harness.Service.ExecuteAsync(other, new CreateSegmentOperation("Other", null), Ct)).RecordId!;
        await _harness.Service.ExecuteAsync(other, new AddToSegmentOperation(_otherWorkspaceSegment, [PersonReference.ForId("q1")]), Ct);

        await using var db = await _harness.ContextAsync(Ct);
        var memberKeys = (await db.SegmentMemberships.Where(m => m.SegmentId == _segment).Select(m => m.PersonId).ToListAsync(Ct)).ToHashSet();
        var attributes = (await db.PersonAttributes.Where(a => a.WorkspaceId == _harness.WorkspaceId).ToListAsync(Ct)).ToLookup(a => a.PersonId);
        _people = [.. (await db.People.Where(p => p.WorkspaceId == _harness.WorkspaceId).OrderBy(p => p.Id).ToListAsync(Ct))
            .Select(p => new Known(p.Id, p.CioId, p.ExternalId, p.Email, p.CreatedAt,
                attributes[p.Id].ToDictionary(a => a.Name, a => (a.TextValue, a.NumberValue)), memberKeys.Contains(p.Id)))];
    }

    private static void Maybe(Random random, Dictionary<string, object?> body, string name, Func<object> value)
    {
        if (random.Next(4) > 0)
        {
            body[name] = value();
        }
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    public static TheoryData<string> Conditions => new()
    {
        """{"attribute":{"field":"plan","operator":"eq","value":"pro"}}""",
        """{"attribute":{"field":"plan","operator":"neq","value":"pro"}}""",
        """{"attribute":{"field":"plan","operator":"contains","value":"PR"}}""",
        """{"attribute":{"field":"plan","operator":"exists"}}""",
        """{"not":{"attribute":{"field":"plan","operator":"exists"}}}""",
        """{"attribute":{"field":"plan","operator":"gt","value":"enterprise"}}""",
        """{"attribute":{"field":"age","operator":"eq","value":30}}""",
        """{"attribute":{"field":"age","operator":"gt","value":"40"}}""",
        """{"attribute":{"field":"age","operator":"lt","value":40}}""",
        """{"attribute":{"field":"age","operator":"gt","value":"abc"}}""",
        """{"attribute":{"field":"renews","operator":"before","value":"2026-01-01"}}""",
        """{"attribute":{"field":"renews","operator":"after","value":"2026-03-01T12:00:00Z"}}""",
        """{"attribute":{"field":"renews","operator":"after","value":"1767225600"}}""",
        """{"attribute":{"field":"renews","operator":"gt","value":"2025-06-01"}}""",
        """{"attribute":{"field":"renews","operator":"lt","value":1767225600}}""",
        """{"attribute":{"field":"vip","operator":"eq","value":true}}""",
        """{"attribute":{"field":"score","operator":"gt","value":50}}""",
        """{"attribute":{"field":"score","operator":"lt","value":"20"}}""",
        """{"attribute":{"field":"score","operator":"after","value":"1970-01-01T00:01:00Z"}}""",
        """{"attribute":{"field":"score","operator":"gt","value":"9"}}""",
        """{"or":[{"attribute":{"field":"score","operator":"lt","value":20}},{"and":[{"segment":{"id":SEGMENT}},{"attribute":{"field":"vip","operator":"eq","value":"true"}}]}]}""",
        """{"or":[{"attribute":{"field":"age","operator":"lt","value":30}},{"attribute":{"field":"score","operator":"gt","value":90}}]}""",
        """{"or":[{"attribute":{"field":"plan","operator":"eq","value":"free"}},{"segment":{"id":SEGMENT}},{"attribute":{"field":"score","operator":"before","value":"1970-01-01T00:00:10Z"}}]}""",
        """{"attribute":{"field":"tags","operator":"exists"}}""",
        """{"not":{"attribute":{"field":"tags","operator":"exists"}}}""",
        """{"attribute":{"field":"tags","operator":"contains","value":"paris"}}""",
        """{"attribute":{"field":"missing","operator":"exists"}}""",
        """{"not":{"attribute":{"field":"missing","operator":"exists"}}}""",
        """{"attribute":{"field":"missing","operator":"neq","value":"x"}}""",
        """{"attribute":{"field":"email","operator":"contains","value":"acme-"}}""",
        """{"attribute":{"field":"email","operator":"exists"}}""",
        """{"attribute":{"field":"id","operator":"eq","value":"u7"}}""",
        """{"not":{"attribute":{"field":"id","operator":"exists"}}}""",
        """{"attribute":{"field":"created_at","operator":"after","value":"2026-01-01"}}""",
        """{"attribute":{"field":"created_at","operator":"gt","value":1750000000}}""",
        """{"segment":{"id":SEGMENT}}""",
        """{"not":{"segment":{"id":SEGMENT}}}""",
        """{"segment":{"id":OTHER}}""",
        """{"segment":{"id":999999}}""",
        """{"and":[]}""",
        """{"or":[]}""",
        """{"and":[{"segment":{"id":SEGMENT}},{"attribute":{"field":"plan","operator":"eq","value":"free"}}]}""",
        """{"or":[{"attribute":{"field":"plan","operator":"eq","value":"pro"}},{"and":[{"attribute":{"field":"age","operator":"gt","value":60}},{"not":{"segment":{"id":SEGMENT}}}]}]}""",
        """{"and":[{"attribute":{"field":"plan","operator":"eq","value":"basic"}},{"not":{"or":[{"attribute":{"field":"vip","operator":"eq","value":"true"}},{"attribute":{"field":"renews","operator":"before","value":"2025-12-01"}}]}}]}""",
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public async Task AFilterPagesAndCountsExactlyThePeopleABruteForceEvaluationFinds(string json)
    {
        // Arrange
        var filter = Parse(json);
        var expected = _people.Where(p => Matches(filter, p)).Select(p => p.CioId).ToList();

        // Act
        var found = await WalkAsync(filter, pageSize: 7);
        var count = await _harness.Service.CountPeopleAsync(_harness.WorkspaceId, filter, Ct);

        // Assert
        found.ShouldBe(expected);
        count.ShouldBe(expected.Count);
    }

    [Fact]
    public async Task RandomNestedGroupsPageAndCountWhatTheBruteForceEvaluationAnswers()
    {
        // Arrange
        var random = new Random(2323);
        var leaves = Conditions.Select(row => Parse(row.Data)).OfType<AudienceFilter>().ToList();
        AudienceFilter Tree(int depth) => random.Next(depth > 2 ? 1 : 4) switch
        {
            0 => leaves[random.Next(leaves.Count)],
            1 => new AllOf([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Tree(depth + 1))]),
            2 => new AnyOf([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Tree(depth + 1))]),
            _ => new Not(Tree(depth + 1)),
        };

        for (var round = 0; round < 40; round++)
        {
            var filter = Tree(0);
            var expected = _people.Where(p => Matches(filter, p)).Select(p => p.CioId).ToList();

            // Act
            var found = await WalkAsync(filter, pageSize: 25);
            var count = await _harness.Service.CountPeopleAsync(_harness.WorkspaceId, filter, Ct);

            // Assert
            found.ShouldBe(expected, AudienceFilterJson.Write(filter));
            count.ShouldBe(expected.Count, AudienceFilterJson.Write(filter));
        }
    }

    [Fact]
    public async Task APageCarriesTheAttributesAskedForAndNullWhereThePersonHasNone()
    {
        // Arrange
        var filter = Parse("""{"attribute":{"field":"id","operator":"exists"}}""");

        // Act
        var page = await _harness.Service.FilterPeopleAsync(_harness.WorkspaceId, filter, null, 50, Ct, ["plan", "email", "missing"]);

        // Assert
        page.People.ShouldAllBe(p => p.Attributes.Count == 3 && p.Attributes[2] == null);
        page.People.Select(p => p.Attributes[0]).ShouldBe(page.People.Select(p => _people.Single(k => k.CioId == p.CioId).Attributes.GetValueOrDefault("plan").Text));
        page.People.Select(p => p.Attributes[1]).ShouldBe(page.People.Select(p => p.Email));
    }

    [Fact]
    public async Task TheRowsAreEveryMatchingPersonWithTheirAttributesInKeyOrder()
    {
        // Arrange
        var filter = Parse("""{"attribute":{"field":"plan","operator":"contains","value":"r"}}""");
        var expected = _people.Where(p => Matches(filter, p))
            .Select(p => $"{p.CioId},{p.Id},{p.Email},{p.Attributes.GetValueOrDefault("age").Text},{p.CreatedAt}").ToList();

        // Act
        var rows = new List<string>();
        await using (var reader = await _harness.Service.OpenPeopleRowsAsync(_harness.WorkspaceId, filter, ["age", "created_at"], Ct))
        {
            while (reader.Read())
            {
                rows.Add(string.Join(',', Enumerable.Range(0, reader.ColumnCount).Select(c => Encoding.UTF8.GetString(reader.Utf8(c)))));
            }
        }

        // Assert
        rows.ShouldBe(expected);
    }

    [Fact]
    public async Task AnAnyOfCountOfIndexedConditionsReadsTheirIndexesInsteadOfEveryPerson()
    {
        Assert.SkipWhen(TestStores.Current == TestStore.Postgres, "It reads SQLite's query plan; PostgreSQL's statements are planned by its own planner.");

        // Arrange: the benchmark's nested any-of, on an attribute that holds only numbers
        var filter = Parse("""{"or":[{"attribute":{"field":"score","operator":"lt","value":20}},{"and":[{"segment":{"id":SEGMENT}},{"attribute":{"field":"vip","operator":"eq","value":"true"}}]}]}""");
        var (sql, parameters) = SqliteAudienceSql.Count(_harness.WorkspaceId, filter, new HashSet<string> { "score" });

        // Act
        var plan = await _harness.QueryPlanAsync(sql, parameters, Ct);

        // Assert
        plan.ShouldContain(step => step.Contains("IX_PersonAttributes_WorkspaceId_Name_NumberValue", StringComparison.Ordinal), string.Join('\n', plan));
        plan.ShouldNotContain(step => step.StartsWith("SCAN p", StringComparison.Ordinal), string.Join('\n', plan));
    }

    [Fact]
    public async Task ARangeOfAnAttributeHoldingTextIsNotReadOffTheNumberIndex()
    {
        Assert.SkipWhen(TestStores.Current == TestStore.Postgres, "It reads SQLite's query plan; PostgreSQL's statements are planned by its own planner.");

        // Arrange: age holds text too ("old", "42"), which a range compares as text or dates
        var filter = Parse("""{"or":[{"attribute":{"field":"age","operator":"lt","value":30}},{"segment":{"id":SEGMENT}}]}""");
        var count = await _harness.Service.CountPeopleAsync(_harness.WorkspaceId, filter, Ct);
        var (sql, parameters) = SqliteAudienceSql.Count(_harness.WorkspaceId, filter, new HashSet<string>());

        // Act
        var plan = await _harness.QueryPlanAsync(sql, parameters, Ct);

        // Assert
        count.ShouldBe(_people.Count(p => Matches(filter, p)));
        plan.ShouldContain(step => step.StartsWith("SCAN p", StringComparison.Ordinal), string.Join('\n', plan));
    }

    [Fact]
    public async Task EveryAttributeProbeAndExportColumnSeeksTheKeyOrderedTable()
    {
        Assert.SkipWhen(TestStores.Current == TestStore.Postgres, "It reads SQLite's query plan; PostgreSQL's statements are planned by its own planner.");

        // Arrange
        var filter = Parse("""{"and":[{"attribute":{"field":"plan","operator":"neq","value":"pro"}},{"attribute":{"field":"age","operator":"gt","value":30}}]}""");
        var (sql, parameters) = SqliteAudienceSql.Rows(_harness.WorkspaceId, filter, ["age", "plan", "score"]);

        // Act
        var plan = await _harness.QueryPlanAsync(sql, parameters, Ct);

        // Assert: two probes and three columns, each one seek of the table kept in (workspace, person, name) order, which
        // holds the value: no index beside it and no second lookup of the row.
        plan.Count(step => step.EndsWith("USING PRIMARY KEY (WorkspaceId=? AND PersonId=? AND Name=?)", StringComparison.Ordinal)
            || step.Contains("USING PRIMARY KEY (WorkspaceId=? AND PersonId=? AND Name=?) LEFT-JOIN", StringComparison.Ordinal)).ShouldBe(5, string.Join('\n', plan));
    }

    [Fact]
    public async Task AttributeNamesAreTheWorkspacesOwnInOrder()
    {
        // Act
        var names = await _harness.Service.AttributeNamesAsync(_harness.WorkspaceId, Ct);

        // Assert
        names.ShouldBe(["age", "plan", "renews", "score", "tags", "vip"]);
    }

    [Theory]
    [InlineData("""{"attribute":{"field":"renews","operator":"before","value":"soon"}}""", "filter.attribute.value")]
    [InlineData("""{"attribute":{"field":"plan","operator":"eq"}}""", "filter.attribute.value")]
    [InlineData("""{"attribute":{"field":"plan","operator":"like","value":"x"}}""", "filter.attribute.operator")]
    [InlineData("""{"and":[{"segment":{"id":"x"}}]}""", "filter.and[0].segment.id")]
    [InlineData("""{"and":{}}""", "filter.and")]
    [InlineData("""{"and":[],"or":[]}""", "filter")]
    [InlineData("""[1]""", "filter")]
    [InlineData("""{"attribute":{"operator":"exists"}}""", "filter.attribute.field")]
    public void AFilterThatCannotBeReadNamesWhereAndWhy(string json, string field)
    {
        // Act
        var parsed = AudienceFilterJson.TryParse(json, out _, out var error);

        // Assert
        parsed.ShouldBeFalse();
        error.ShouldNotBeNull();
        error.Field.ShouldBe(field);
        error.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void AFilterWrittenAsJsonReadsBackTheSame()
    {
        // Arrange
        const string json = """{"and":[{"attribute":{"field":"plan","operator":"eq","value":"pro"}},{"or":[{"not":{"segment":{"id":4}}},{"attribute":{"field":"renews","operator":"before","value":"2026-01-01"}}]}]}""";

        // Act
        var written = AudienceFilterJson.Write(Parse(json));

        // Assert
        written.ShouldBe(json);
    }

    private AudienceFilter Parse(string json)
    {
        var text = json.Replace("SEGMENT", _segment.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("OTHER", _otherWorkspaceSegment.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        AudienceFilterJson.TryParse(text, out var filter, out var error).ShouldBeTrue(error?.ToString());
        return filter;
    }

    private async Task<List<string>> WalkAsync(AudienceFilter filter, int pageSize)
    {
        var found = new List<string>();
        long? after = null;
        do
        {
            var page = await _harness.Service.FilterPeopleAsync(_harness.WorkspaceId, filter, after, pageSize, Ct);
            found.AddRange(page.People.Select(p => p.CioId));
            after = page.After;
        }
        while (after is not null);
        return found;
    }

    // The brute-force evaluation: the HTTP contract's words, in C#, over what the people hold.
    private bool Matches(AudienceFilter filter, Known person) => filter switch
    {
        AllOf all => all.Filters.All(f => Matches(f, person)),
        AnyOf any => any.Filters.Any(f => Matches(f, person)),
        Not not => !Matches(not.Filter, person),
        InSegment segment => segment.SegmentId == _segment && person.InSegment,
        AttributeFilter attribute => Matches(attribute, Value(attribute.Name, person)),
        _ => throw new ArgumentException(filter.ToString()),
    };

    private static (string Text, double? Number)? Value(string name, Known person) => name switch
    {
        "id" => person.Id is null ? null : (person.Id, null),
        "email" => person.Email is null ? null : (person.Email, null),
        "cio_id" => (person.CioId, null),
        "created_at" => (person.CreatedAt.ToString(CultureInfo.InvariantCulture), person.CreatedAt),
        _ => person.Attributes.TryGetValue(name, out var value) ? value : null,
    };

    private static bool Matches(AttributeFilter filter, (string Text, double? Number)? held)
    {
        if (filter.Operator == AttributeOperator.Exists)
        {
            return held is not null;
        }

        if (filter.Operator == AttributeOperator.NotExists)
        {
            return held is null;
        }

        if (held is not { } value)
        {
            return false;
        }

        var v = filter.Value!;
        double? heldDate = value.Number ?? (FilterValues.TryIsoDate(value.Text, out var iso) ? iso : null);
        switch (filter.Operator)
        {
            case AttributeOperator.Equals:
                return value.Text == v;
            case AttributeOperator.NotEquals:
                return value.Text != v;
            case AttributeOperator.Contains:
                return value.Text.Contains(v, StringComparison.OrdinalIgnoreCase);
            case AttributeOperator.Greater or AttributeOperator.Less:
                var sign = filter.Operator == AttributeOperator.Greater ? 1 : -1;
                if (value.Number is { } n && FilterValues.TryNumber(v, out var number))
                {
                    return Math.Sign(n.CompareTo(number)) == sign;
                }

                if (heldDate is { } d && FilterValues.TryDate(v, out var date))
                {
                    return Math.Sign(d.CompareTo(date)) == sign;
                }

                return Math.Sign(string.CompareOrdinal(value.Text, v)) == sign;
            case AttributeOperator.Before:
                return heldDate is { } before && FilterValues.TryDate(v, out var b) && before < b;
            case AttributeOperator.After:
                return heldDate is { } after && FilterValues.TryDate(v, out var a) && after > a;
            default:
                throw new ArgumentException(filter.ToString());
        }
    }
}
